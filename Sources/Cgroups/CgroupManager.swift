import OCI

/// Which cgroup layout the host has.
public enum CgroupMode: String, Codable, Sendable {
  /// Only v1 hierarchies, one per controller (or co-mounted group).
  case v1
  /// One cgroup2 hierarchy holding every controller.
  case v2
  /// v1 controllers plus a cgroup2 mount (usually /sys/fs/cgroup/unified) that only tracks processes.
  case hybrid
}

/// Where one container's cgroup lives; stored in the runtime's state JSON and reloaded by later commands.
public struct CgroupPlacement: Codable, Sendable, Equatable {
  public var mode: CgroupMode
  /// Controller name (v1: "memory", "cpu", "name=systemd", …; the cgroup2 hierarchy: "unified")
  /// to the absolute directory of the container's cgroup in that hierarchy.
  public var paths: [String: String]

  public init(mode: CgroupMode, paths: [String: String]) {
    self.mode = mode
    self.paths = paths
  }

  /// The key of the cgroup2 hierarchy in `paths`.
  public static let unifiedKey = "unified"
}

/// One container's cgroup, on whichever cgroup version the host has.
public protocol CgroupManager: Sendable {
  var placement: CgroupPlacement { get }
  /// Creates every controller directory (idempotent), preparing parents as the kernel needs.
  func create() throws
  /// Sets limits (used at create and by `update`).
  func apply(_ resources: OCI.Resources) throws
  /// Moves a process into the cgroup, in every hierarchy.
  func addProcess(_ pid: Int32) throws
  /// Every pid in the cgroup and its descendants.
  func processes() throws -> [Int32]
  /// Freezes every task and waits until the kernel reports the cgroup frozen.
  func freeze() throws
  func thaw() throws
  func isFrozen() throws -> Bool
  func stats() throws -> CgroupStats
  /// How many times the kernel's OOM killer killed a task in this cgroup.
  func oomKillCount() throws -> UInt64
  /// Removes the cgroup directories, children first; a missing directory is not an error.
  func destroy() throws
}
