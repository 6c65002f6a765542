import CBerth
import Glibc
import LinuxOS
import OCI

/// Device nodes and /dev links inside the rootfs.
enum DeviceNodes {
  /// What every container gets, as runc gives it.
  static let defaults: [Device] = [
    Device(path: "/dev/null", type: "c", major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0),
    Device(path: "/dev/zero", type: "c", major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0),
    Device(path: "/dev/full", type: "c", major: 1, minor: 7, fileMode: 0o666, uid: 0, gid: 0),
    Device(path: "/dev/random", type: "c", major: 1, minor: 8, fileMode: 0o666, uid: 0, gid: 0),
    Device(path: "/dev/urandom", type: "c", major: 1, minor: 9, fileMode: 0o666, uid: 0, gid: 0),
    Device(path: "/dev/tty", type: "c", major: 5, minor: 0, fileMode: 0o666, uid: 0, gid: 0),
  ]

  static func create(in rootfs: String, devices: [Device], includeDefaults: Bool, bindFromHost: Bool) throws {
    var all = includeDefaults ? defaults : []
    for device in devices where !all.contains(where: { $0.path == device.path }) { all.append(device) }
    for device in all {
      let target = try SecurePath.resolve(root: rootfs, device.path)
      try Files.makeDirectories(Files.parent(of: target))
      if bindFromHost {
        // mknod is not allowed in a user namespace: bind the host's node instead.
        if !Files.exists(target) { FD.close(try FD.open(target, O_WRONLY | O_CREAT, mode: 0o644)) }
        try Mounts.mount(source: device.path, target: target, type: nil, flags: MountFlag.bind)
        continue
      }
      let kind: mode_t
      switch device.type {
      case "c", "u": kind = S_IFCHR
      case "b": kind = S_IFBLK
      case "p": kind = S_IFIFO
      default: throw RuntimeError("device \(device.path): unknown type \(device.type)")
      }
      unlink(target)
      let dev = berth_makedev(UInt32(device.major ?? 0), UInt32(device.minor ?? 0))
      try sys("mknod", target) { mknod(target, kind | mode_t(device.fileMode ?? 0o666) & 0o7777, dev) }
      try sys("chown", target) { chown(target, device.uid ?? 0, device.gid ?? 0) }
      try sys("chmod", target) { chmod(target, mode_t(device.fileMode ?? 0o666) & 0o7777) }
    }
  }

  static func createLinks(in rootfs: String) throws {
    let links: [(String, String)] = [
      ("/proc/self/fd", "/dev/fd"), ("/proc/self/fd/0", "/dev/stdin"),
      ("/proc/self/fd/1", "/dev/stdout"), ("/proc/self/fd/2", "/dev/stderr"),
      ("pts/ptmx", "/dev/ptmx"),
    ]
    for (target, link) in links {
      let path = rootfs + link
      unlink(path)
      try sys("symlink", path) { symlink(target, path) }
    }
  }
}

extension DeviceNodes {
  /// Device cgroup rules every container gets after the spec's own (as runc adds them):
  /// mknod of any node, and use of the default devices and of ptys.
  static let defaultCgroupRules: [DeviceCgroupRule] = [
    DeviceCgroupRule(allow: true, type: "c", access: "m"),
    DeviceCgroupRule(allow: true, type: "b", access: "m"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 8, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 7, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 5, minor: 0, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 5, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 9, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 5, minor: 1, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 136, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 5, minor: 2, access: "rwm"),
  ]

  /// The spec's resources with the default rules, and rules for the spec's devices, appended.
  static func withDefaultRules(_ resources: Resources?, devices: [Device]) -> Resources {
    var result = resources ?? Resources()
    var rules = result.devices ?? []
    rules += defaultCgroupRules
    for device in devices where device.type == "c" || device.type == "b" {
      rules.append(
        DeviceCgroupRule(allow: true, type: device.type, major: device.major, minor: device.minor, access: "rwm"))
    }
    result.devices = rules
    return result
  }
}
