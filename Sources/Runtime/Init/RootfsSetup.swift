import CBerth
import Glibc
import LinuxOS
import OCI

/// Builds the container's filesystem view, in its own mount namespace (new or joined)
/// or the host's: propagation, the spec's mounts, devices, createContainer hooks,
/// pivot_root (chroot in the host's), then masked and read-only paths and the
/// read-only root.
struct RootfsSetup {
  let config: InitConfig
  let hookState: ContainerState
  let placement: PlacementGate
  var spec: Spec { config.spec }
  var rootfs: String { config.rootfs }
  var inUserNamespace: Bool { config.userNamespace != .none }
  var hasUTSNamespace: Bool {
    config.newNamespaceFlags & NamespaceKind.uts.cloneFlag != 0
      || config.joinNamespaces.contains { $0.type == NamespaceKind.uts.rawValue }
  }

  func prepare() throws {
    let mode = config.mountNamespace
    try bindRoot(mode)
    let mounts = spec.mounts ?? []
    PhaseTrace.mark("rootfs: root bound")
    for mount in mounts {
      try mountOne(mount)
      PhaseTrace.mark("rootfs: mounted \(mount.destination)")
    }
    let devIsTmpfs = mounts.contains {
      SecurePath.clean($0.destination) == "/dev" && $0.type != "bind" && !MountOptions($0.options ?? []).isBind
    }
    PhaseTrace.mark("rootfs: mounts done")
    try DeviceNodes.create(
      in: rootfs, devices: spec.linux?.devices ?? [], includeDefaults: devIsTmpfs, bindFromHost: inUserNamespace)
    PhaseTrace.mark("rootfs: device nodes")
    if devIsTmpfs { try DeviceNodes.createLinks(in: rootfs) }
    try HookRunner.run(spec.hooks?.createContainer ?? [], phase: "createContainer", state: hookState)
    PhaseTrace.mark("rootfs: devices and hooks")
    try enterRoot(mode)
    PhaseTrace.mark("rootfs: pivoted")
    // A missing cwd is made, inside the new root and before it turns read-only, as runc does.
    try WorkingDirectory.create(config.process.cwd)
    // `SpecValidation` refused a hostname without a UTS namespace, made or joined.
    if let hostname = spec.hostname, !hostname.isEmpty { try ProcessAttributes.setHostname(hostname) }
    if hasUTSNamespace, let domain = spec.domainname, !domain.isEmpty { try ProcessAttributes.setDomainname(domain) }
    // Before maskPaths: readonlyPaths usually include /proc/sys (docker sets
    // net.ipv4.ip_unprivileged_port_start), and runc writes sysctls first too.
    try applySysctls()
    try maskPaths()
    // In the host's mount namespace runc leaves the root writable (it skips its
    // finalizeRootfs there): so does berth-runtime.
    if spec.root?.readonly == true, mode != .host {
      try Mounts.mount(
        source: "", target: "/", type: nil,
        flags: MountFlag.bind | MountFlag.remount | MountFlag.readOnly | lockedFlags(of: "/"))
    }
  }

  func mountOne(_ mount: OCI.Mount) throws {
    let options = MountOptions(mount.options ?? [])
    let type = mount.type ?? (options.isBind ? "bind" : "")
    let destination = try SecurePath.resolve(root: rootfs, mount.destination)
    if type == "cgroup" || type == "cgroup2" {
      // Binds of the container's cgroup directories need no placement; a mount inside
      // the container's own cgroup namespace does (its root is set at unshare time).
      if config.newNamespaceFlags & NamespaceKind.cgroup.cloneFlag != 0 { try placement.pass() }
      try CgroupMounts.mount(at: destination, options: options, config: config)
    } else if options.isBind || type == "bind" {
      try bindMount(mount, destination: destination, options: options)
    } else {
      try Files.makeDirectories(destination)
      let flags = options.flags & ~(MountFlag.bind | MountFlag.recursive)
      let data = options.data.isEmpty ? nil : options.data.joined(separator: ",")
      do {
        try Mounts.mount(source: mount.source ?? type, target: destination, type: type, flags: flags, data: data)
      } catch let error as SystemError where type == "sysfs" && error.errno == EPERM {
        // A sysfs cannot be mounted without owning the network namespace: bind the host's, read-only.
        try Mounts.mount(source: "/sys", target: destination, type: nil, flags: MountFlag.bind | MountFlag.recursive)
        try Mounts.mount(
          source: "", target: destination, type: nil,
          flags: MountFlag.bind | MountFlag.remount | MountFlag.readOnly | lockedFlags(of: destination))
      }
    }
    for propagation in options.propagation {
      try Mounts.mount(source: "", target: destination, type: nil, flags: propagation)
    }
  }

  func bindMount(_ mount: OCI.Mount, destination: String, options: MountOptions) throws {
    guard var source = mount.source else { throw RuntimeError("bind mount on \(mount.destination) has no source") }
    if !source.hasPrefix("/") { source = config.bundle + "/" + source }
    var st = stat()
    guard stat(source, &st) == 0 else {
      throw RuntimeError("bind mount source \(source) for \(mount.destination): \(String(cString: strerror(errno)))")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      try Files.makeDirectories(destination)
    } else {
      try Files.makeDirectories(Files.parent(of: destination))
      if !Files.exists(destination) { FD.close(try FD.open(destination, O_WRONLY | O_CREAT, mode: 0o644)) }
    }
    try Mounts.mount(
      source: source, target: destination, type: nil,
      flags: MountFlag.bind | (options.flags & MountFlag.recursive))
    let extra = options.flagsNeedingRemount
    if extra != 0 {
      try Mounts.mount(
        source: "", target: destination, type: nil,
        flags: MountFlag.bind | MountFlag.remount | extra | (lockedFlags(of: destination) & ~options.clearedFlags))
    }
  }

  /// Flags a remount must keep or the kernel refuses it (inherited locked flags).
  func lockedFlags(of path: String) -> UInt {
    var fs = statvfs()
    guard statvfs(path, &fs) == 0 else { return 0 }
    var flags: UInt = 0
    let f = UInt(fs.f_flag)
    if f & 2 != 0 { flags |= MountFlag.noSuid }
    if f & 4 != 0 { flags |= MountFlag.noDev }
    if f & 8 != 0 { flags |= MountFlag.noExec }
    if f & 1024 != 0 { flags |= MountFlag.noAtime }
    if f & 2048 != 0 { flags |= MountFlag.noDirAtime }
    if f & 4096 != 0 { flags |= MountFlag.relAtime }
    return flags
  }

  /// Read-only paths first, then masked ones, in runc's order (the mount table reads the same).
  func maskPaths() throws {
    for path in spec.linux?.readonlyPaths ?? [] {
      guard Files.exists(path) else { continue }
      try Mounts.mount(source: path, target: path, type: nil, flags: MountFlag.bind | MountFlag.recursive)
      try Mounts.mount(
        source: "", target: path, type: nil,
        flags: MountFlag.bind | MountFlag.remount | MountFlag.readOnly | MountFlag.recursive | lockedFlags(of: path))
    }
    for path in spec.linux?.maskedPaths ?? [] {
      var st = stat()
      guard lstat(path, &st) == 0 else { continue }
      if (st.st_mode & S_IFMT) == S_IFDIR {
        try Mounts.mount(source: "tmpfs", target: path, type: "tmpfs", flags: MountFlag.readOnly)
      } else {
        try Mounts.mount(source: "/dev/null", target: path, type: nil, flags: MountFlag.bind)
      }
    }
  }

  /// Sysctls are written after pivot_root, so they land in the container's /proc.
  func applySysctls() throws {
    for (key, value) in (spec.linux?.sysctl ?? [:]).sorted(by: { $0.key < $1.key }) {
      let path = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
      guard !key.contains("..") else { throw RuntimeError("invalid sysctl \(key)") }
      try Files.writeKernelFile(path, value)
    }
  }
}

extension String {
  func replacingOccurrences(of target: Character, with replacement: Character) -> String {
    String(map { $0 == target ? replacement : $0 })
  }
}
