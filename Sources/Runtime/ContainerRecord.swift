import Cgroups
import OCI

/// What the runtime keeps about one container in `<root>/<id>/state.json`.
public struct ContainerRecord: Codable, Sendable {
  public var id: String
  public var bundle: String
  public var rootfs: String
  /// The container's init as the host sees it, and its start time to detect pid reuse.
  public var pid: Int32
  public var pidStartTime: UInt64
  public var created: String
  public var owner: String
  public var spec: Spec
  public var cgroup: CgroupPlacement
  /// Set once `delete` has been asked; a record in this state only awaits cleanup.
  public var deleting: Bool?
}
