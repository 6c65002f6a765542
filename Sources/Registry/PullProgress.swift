// Progress of a pull or push, shaped like one line of Docker's JSON progress stream
// (jsonmessage): EngineAPI's ProgressMessage maps field for field
// (id, status, progressDetail.current/total).
public struct ProgressEvent: Sendable, Equatable, CustomStringConvertible {
  /// The layer's short digest (12 hex digits), or nil for whole-image lines.
  public var id: String?
  public var status: String
  public var current: Int64?
  public var total: Int64?

  public init(id: String? = nil, status: String, current: Int64? = nil, total: Int64? = nil) {
    self.id = id
    self.status = status
    self.current = current
    self.total = total
  }

  public var description: String {
    var s = id.map { "\($0): " } ?? ""
    s += status
    if let current { s += " \(current)/\(total.map(String.init) ?? "?")" }
    return s
  }

  // The statuses docker prints.
  public static let pullingFsLayer = "Pulling fs layer"
  public static let waiting = "Waiting"
  public static let downloading = "Downloading"
  public static let verifyingChecksum = "Verifying Checksum"
  public static let downloadComplete = "Download complete"
  public static let extracting = "Extracting"
  public static let pullComplete = "Pull complete"
  public static let alreadyExists = "Already exists"
  public static let preparing = "Preparing"
  public static let pushing = "Pushing"
  public static let pushed = "Pushed"
  public static let layerAlreadyExists = "Layer already exists"
}

public typealias ProgressHandler = @Sendable (ProgressEvent) -> Void
