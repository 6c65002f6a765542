import LinuxOS

/// The container process builds its rootfs while the parent moves it into its cgroup.
/// Whatever depends on the cgroup passes this gate first: it waits (once) for the
/// parent's `placed`, then creates the cgroup namespace, whose root is the cgroup the
/// process is in at that moment.
final class PlacementGate {
  private let channel: SyncChannel
  private let newCgroupNamespace: Bool
  private var passed = false

  init(channel: SyncChannel, newCgroupNamespace: Bool) {
    self.channel = channel
    self.newCgroupNamespace = newCgroupNamespace
  }

  func pass() throws {
    guard !passed else { return }
    _ = try channel.expect(.placed)
    passed = true
    if newCgroupNamespace { try Namespaces.unshare(NamespaceKind.cgroup.cloneFlag) }
  }
}
