import Cgroups
import Glibc
import LinuxOS

/// The `cgroup` mount type: the container sees its own cgroup at /sys/fs/cgroup.
enum CgroupMounts {
  static func mount(at destination: String, options: MountOptions, config: InitConfig) throws {
    try Files.makeDirectories(destination)
    let readOnly = options.flags & MountFlag.readOnly
    let flags =
      (options.flags & ~(MountFlag.bind | MountFlag.recursive | MountFlag.readOnly)) | MountFlag.noSuid
      | MountFlag.noExec | MountFlag.noDev
    let ownNamespace = config.newNamespaceFlags & NamespaceKind.cgroup.cloneFlag != 0
    if config.cgroup.mode == .v2 {
      if ownNamespace {
        try Mounts.mount(source: "cgroup2", target: destination, type: "cgroup2", flags: flags | readOnly)
      } else if let path = config.cgroup.paths["unified"] {
        try bind(path, destination, readOnly: readOnly != 0)
      }
      return
    }
    // v1 and hybrid: a tmpfs holding one bind mount per hierarchy, of this container's cgroup.
    try Mounts.mount(source: "tmpfs", target: destination, type: "tmpfs", flags: flags, data: "mode=755")
    let mountPoints =
      config.cgroupMountPoints ?? cgroupMountPoints(mountInfo: (try? Files.readString("/proc/self/mountinfo")) ?? "")
    // As runc on hybrid hosts: only the v1 hierarchies; the tmpfs itself stays writable.
    for (mountPoint, path) in hierarchies(config.cgroup.paths, mountPoints: mountPoints) {
      let name = String(mountPoint.split(separator: "/").last ?? "")
      let target = destination + "/" + name
      // One mkdir, not exists + mkdir -p (3 calls): this runs per hierarchy on every start.
      // The parent is the fresh tmpfs; an existing directory is a co-mounted hierarchy's.
      guard mkdir(target, 0o755) == 0 else {
        if errno == EEXIST { continue }
        throw SystemError("mkdir", errno: errno, target)
      }
      try bind(path, target, readOnly: readOnly != 0)
    }
  }

  static func bind(_ source: String, _ target: String, readOnly: Bool) throws {
    try Mounts.mount(source: source, target: target, type: nil, flags: MountFlag.bind)
    if readOnly {
      try Mounts.mount(
        source: "", target: target, type: nil,
        flags: MountFlag.bind | MountFlag.remount | MountFlag.readOnly | MountFlag.noSuid | MountFlag.noExec
          | MountFlag.noDev)
    }
  }

  /// Where cgroup and cgroup2 file systems are mounted, parsed once: this runs on every
  /// container start, and string searching per line per hierarchy cost milliseconds.
  static func cgroupMountPoints(mountInfo: String) -> [String] {
    MountInfoEntry.lines(mountInfo).compactMap { line in
      guard let entry = MountInfoEntry(line: line), entry.fsType.hasPrefix("cgroup") else { return nil }
      return entry.mountPoint
    }
  }

  /// Each v1 controller's cgroup with the mount point of its hierarchy, in the host's
  /// mount order (runc's: the container's mount table lists them alike).
  static func hierarchies(_ paths: [String: String], mountPoints: [String]) -> [(String, String)] {
    let found = paths.sorted(by: { $0.key < $1.key }).compactMap { controller, path -> (Int, String, String)? in
      guard controller != "unified",
        let point = hierarchyMountPoint(containing: path, mountPoints: mountPoints),
        let index = mountPoints.firstIndex(of: point)
      else { return nil }
      return (index, point, path)
    }
    // A stable sort: co-mounted controllers keep their name order.
    return found.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map {
      ($0.element.1, $0.element.2)
    }
  }

  /// The cgroup hierarchy mount point that `path` lies under (longest match).
  static func hierarchyMountPoint(containing path: String, mountPoints: [String]) -> String? {
    var best: String?
    for point in mountPoints where path == point || path.hasPrefix(point + "/") {
      if point.count > (best?.count ?? 0) { best = point }
    }
    return best
  }
}
