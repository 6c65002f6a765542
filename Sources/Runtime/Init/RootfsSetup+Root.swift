import CBerth
import Glibc
import LinuxOS

extension RootfsSetup {
  /// The mount(2) flags of `linux.rootfsPropagation`, nil when it is absent or empty.
  var requestedRootPropagation: UInt? {
    guard let name = spec.linux?.rootfsPropagation, !name.isEmpty else { return nil }
    return MountOptions.propagationTable[name]
  }

  /// Makes the rootfs a mount point of its own (pivot_root needs one) whose mounts do
  /// not reach the host.
  func bindRoot(_ mode: MountNamespaceMode) throws {
    if mode != .host {
      // runc's order: `/` gets the requested propagation (rslave by default) ...
      let propagation = requestedRootPropagation ?? (MountFlag.slave | MountFlag.recursive)
      try Mounts.mount(source: "", target: "/", type: nil, flags: propagation)
      // ... then the rootfs's parent mount, if still shared, becomes private: pivot_root
      // refuses a shared parent, and the bind below would propagate to its peers.
      if Self.mayLeaveParentShared(propagation),
        let parent = RootfsParentMount(of: rootfs, mountInfo: try Files.readString("/proc/self/mountinfo")),
        parent.isShared
      {
        try Mounts.mount(source: "", target: parent.mountPoint, type: nil, flags: MountFlag.private)
      }
    }
    try Mounts.mount(source: rootfs, target: rootfs, type: nil, flags: MountFlag.bind | MountFlag.recursive)
    if mode == .host {
      // The host's own mounts keep their propagation (runc makes the host's `/` rslave);
      // the container's mounts, made on this bind, stay out of the host's peer groups.
      try Mounts.mount(source: "", target: rootfs, type: nil, flags: MountFlag.slave | MountFlag.recursive)
    }
  }

  /// A recursive slave, private or unbindable change leaves no mount shared: then the
  /// mountinfo read is saved on the usual start path.
  static func mayLeaveParentShared(_ propagation: UInt) -> Bool {
    let unshares = MountFlag.slave | MountFlag.private | MountFlag.unbindable
    return propagation & MountFlag.recursive == 0 || propagation & unshares == 0
  }

  /// Makes the rootfs the process's root: pivot_root in its own mount namespace,
  /// chroot in the host's (pivot_root there would change the host's root).
  func enterRoot(_ mode: MountNamespaceMode) throws {
    guard mode == .host else { return try pivot() }
    try sys("chdir", rootfs) { chdir(rootfs) }
    try sys("chroot", rootfs) { chroot(".") }
    try sys("chdir", "/") { chdir("/") }
  }

  /// pivot_root into the rootfs and detach the old root, without needing a temporary directory.
  func pivot() throws {
    let oldRoot = try FD.open("/", O_DIRECTORY | O_RDONLY)
    defer { FD.close(oldRoot) }
    let newRoot = try FD.open(rootfs, O_DIRECTORY | O_RDONLY)
    defer { FD.close(newRoot) }
    try sys("fchdir", rootfs) { fchdir(newRoot) }
    try Mounts.pivotRoot(newRoot: ".", putOld: ".")
    try sys("fchdir", "old root") { fchdir(oldRoot) }
    // Our unmounts must not propagate to the host.
    try Mounts.mount(source: "", target: ".", type: nil, flags: MountFlag.slave | MountFlag.recursive)
    try Mounts.unmount(".", flags: 2 /* MNT_DETACH */)
    try sys("chdir", "/") { chdir("/") }
  }
}
