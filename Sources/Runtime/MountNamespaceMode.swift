import LinuxOS

/// Where the container's mounts are made, which decides how its root is entered.
enum MountNamespaceMode: Equatable {
  /// A mount namespace of its own: pivot_root.
  case new
  /// One joined by path: pivot_root there too, as runc does.
  case joined
  /// The caller's (the spec lists no mount namespace): the mounts land in it and the
  /// process chroots, as runc does.
  case host

  init(newNamespaceFlags: Int32, joins: [String]) {
    if newNamespaceFlags & NamespaceKind.mount.cloneFlag != 0 {
      self = .new
    } else if joins.contains(NamespaceKind.mount.rawValue) {
      self = .joined
    } else {
      self = .host
    }
  }
}

extension InitConfig {
  var mountNamespace: MountNamespaceMode {
    MountNamespaceMode(newNamespaceFlags: newNamespaceFlags, joins: joinNamespaces.map(\.type))
  }
}
