import LinuxOS

/// Namespaces stage 1 can make before the parent has created the cgroup, so that their
/// cost (a network namespace takes about 0.7 ms) overlaps the parent's cgroup mkdirs
/// instead of following them.
enum EarlyNamespaces {
  /// Network, IPC and UTS: nothing before the fork depends on them. Only without a
  /// user namespace: a namespace is owned by the user namespace current when it is
  /// made, which with one must be the container's, entered later.
  static func flags(newNamespaceFlags: Int32, userNamespace: InitConfig.UserNamespaceMode) -> Int32 {
    guard userNamespace == .none else { return 0 }
    let independent = NamespaceKind.network.cloneFlag | NamespaceKind.ipc.cloneFlag | NamespaceKind.uts.cloneFlag
    return newNamespaceFlags & independent
  }
}
