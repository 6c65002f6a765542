import LinuxOS

/// Whatever depends on the cgroup namespace passes this gate first: once, it creates
/// that namespace, whose root is the cgroup the process is in at that moment. The
/// process entered its cgroup itself before stage 2 began (`CgroupSelfPlacement`), so
/// there is nothing to wait for (the parent used to answer `selfPlaced` with `placed`).
final class PlacementGate {
  private let newCgroupNamespace: Bool
  private var passed = false

  init(newCgroupNamespace: Bool) {
    self.newCgroupNamespace = newCgroupNamespace
  }

  func pass() throws {
    guard !passed else { return }
    passed = true
    if newCgroupNamespace { try Namespaces.unshare(NamespaceKind.cgroup.cloneFlag) }
  }
}
