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
    let mountInfo = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    // As runc on hybrid hosts: only the v1 hierarchies; the tmpfs itself stays writable.
    for (controller, path) in config.cgroup.paths.sorted(by: { $0.key < $1.key }) where controller != "unified" {
      guard let mountPoint = hierarchyMountPoint(containing: path, mountInfo: mountInfo) else { continue }
      let name = String(mountPoint.split(separator: "/").last ?? "")
      let target = destination + "/" + name
      if Files.exists(target) { continue }
      try Files.makeDirectories(target)
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

  /// The cgroup hierarchy mount point that `path` lies under (longest match).
  static func hierarchyMountPoint(containing path: String, mountInfo: String) -> String? {
    var best: String?
    for line in mountInfo.split(separator: "\n") {
      let halves = line.components(separatedBy: " - ")
      guard halves.count == 2, halves[1].hasPrefix("cgroup") else { continue }
      let fields = halves[0].split(separator: " ")
      guard fields.count > 4 else { continue }
      let point = Mounts.unescapeOctal(String(fields[4]))
      if path == point || path.hasPrefix(point + "/"), point.count > (best?.count ?? 0) { best = point }
    }
    return best
  }
}

extension Substring {
  func components(separatedBy separator: String) -> [String] {
    String(self).components(separatedBy: separator)
  }
}

extension String {
  func components(separatedBy separator: String) -> [String] {
    var parts: [String] = []
    var rest = self[...]
    while let range = rest.firstRange(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}
