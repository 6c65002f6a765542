// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// One JSON line of load/import/pull progress (`jsonmessage.JSONMessage`).
public struct ProgressMessage: Codable, Sendable, Equatable {
  public var status: String?
  public var progressDetail: ProgressDetail?
  public var progress: String?
  public var id: String?
  /// load: "Loaded image: busybox:latest\n"
  public var stream: String?
  public var error: String?
  public var errorDetail: ErrorDetail?
  public var aux: JSONValue?

  public init(
    status: String? = nil,
    progressDetail: ProgressDetail? = nil,
    progress: String? = nil,
    id: String? = nil,
    stream: String? = nil,
    error: String? = nil,
    errorDetail: ErrorDetail? = nil,
    aux: JSONValue? = nil
  ) {
    self.status = status
    self.progressDetail = progressDetail
    self.progress = progress
    self.id = id
    self.stream = stream
    self.error = error
    self.errorDetail = errorDetail
    self.aux = aux
  }

  enum CodingKeys: String, CodingKey {
    case status
    case progressDetail
    case progress
    case id
    case stream
    case error
    case errorDetail
    case aux
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.status = try c.decodeIfPresent(String.self, forKey: .status)
    self.progressDetail = try c.decodeIfPresent(ProgressDetail.self, forKey: .progressDetail)
    self.progress = try c.decodeIfPresent(String.self, forKey: .progress)
    self.id = try c.decodeIfPresent(String.self, forKey: .id)
    self.stream = try c.decodeIfPresent(String.self, forKey: .stream)
    self.error = try c.decodeIfPresent(String.self, forKey: .error)
    self.errorDetail = try c.decodeIfPresent(ErrorDetail.self, forKey: .errorDetail)
    self.aux = try c.decodeIfPresent(JSONValue.self, forKey: .aux)
  }
}

public struct ProgressDetail: Codable, Sendable, Equatable {
  public var current: Int64?
  public var total: Int64?

  public init(current: Int64? = nil, total: Int64? = nil) {
    self.current = current
    self.total = total
  }

  enum CodingKeys: String, CodingKey {
    case current
    case total
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.current = try c.decodeIfPresent(Int64.self, forKey: .current)
    self.total = try c.decodeIfPresent(Int64.self, forKey: .total)
  }
}

public struct ErrorDetail: Codable, Sendable, Equatable {
  public var code: Int?
  public var message: String?

  public init(code: Int? = nil, message: String? = nil) {
    self.code = code
    self.message = message
  }

  enum CodingKeys: String, CodingKey {
    case code
    case message
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.code = try c.decodeIfPresent(Int.self, forKey: .code)
    self.message = try c.decodeIfPresent(String.self, forKey: .message)
  }
}
