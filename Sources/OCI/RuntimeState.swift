// The state a runtime reports (`runc state`), shaped as runc prints it.

public struct ContainerState: Codable, Sendable, Equatable {
  public var ociVersion: String
  public var id: String
  public var pid: Int32
  /// creating, created, running, paused or stopped.
  public var status: String
  public var bundle: String
  public var rootfs: String
  /// RFC 3339 with nanoseconds, as runc writes it.
  public var created: String
  public var owner: String
  public var annotations: [String: String]?

  public init(
    ociVersion: String, id: String, pid: Int32, status: String, bundle: String, rootfs: String,
    created: String, owner: String = "", annotations: [String: String]? = nil
  ) {
    self.ociVersion = ociVersion
    self.id = id
    self.pid = pid
    self.status = status
    self.bundle = bundle
    self.rootfs = rootfs
    self.created = created
    self.owner = owner
    self.annotations = annotations
  }
}
