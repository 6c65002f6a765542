// Mounts: Docker's defaults (/proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys,
// /sys/fs/cgroup), the daemon-written /etc/{resolv.conf,hostname,hosts}, then the user's
// binds, --mount and --tmpfs (a user mount replaces a default at the same destination),
// parents before children.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif
import OCI

extension SpecBuilder {
  static func defaultMounts(shmSize: Int64, privileged: Bool) -> [Mount] {
    let sysOptions = ["nosuid", "noexec", "nodev", privileged ? "rw" : "ro"]
    return [
      Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
      Mount(
        destination: "/dev", type: "tmpfs", source: "tmpfs",
        options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
      Mount(
        destination: "/dev/pts", type: "devpts", source: "devpts",
        options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
      Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: sysOptions),
      Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: sysOptions),
      Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
      Mount(
        destination: "/dev/shm", type: "tmpfs", source: "shm",
        options: ["nosuid", "noexec", "nodev", "mode=1777", "size=\(shmSize)"]),
    ]
  }

  /// The files the daemon writes in the container directory and binds over the image's.
  static let networkFiles = ["resolv.conf", "hostname", "hosts"]

  static func mounts(_ s: ContainerSettings, context: SpecContext) throws -> [Mount] {
    let user = try userMounts(s, context: context)
    let userDestinations = Set(user.map(\.destination))
    let mountsDev = userDestinations.contains("/dev")
    let shmSize = (s.shmSize ?? 0) > 0 ? (s.shmSize ?? defaultShmSize) : defaultShmSize

    var out: [Mount] = []
    for m in defaultMounts(shmSize: shmSize, privileged: s.privileged) {
      if userDestinations.contains(m.destination) { continue }
      if mountsDev && m.destination.hasPrefix("/dev/") { continue }
      if m.destination == "/dev/shm" {
        switch s.ipcMode ?? "" {
        case "none": continue
        case "host":
          out.append(Mount(destination: "/dev/shm", type: "bind", source: "/dev/shm", options: ["rbind", "rprivate"]))
          continue
        case let mode where mode.hasPrefix("container:"):
          let pid = try context.containerPID(String(mode.dropFirst("container:".count)))
          out.append(
            Mount(
              destination: "/dev/shm", type: "bind", source: "/proc/\(pid)/root/dev/shm",
              options: ["rbind", "rprivate"]))
          continue
        default: break
        }
      }
      out.append(m)
    }
    let writable = !s.readonlyRootfs
    // After the user's mounts: a volume on /etc must not hide them.
    out += user
    for name in networkFiles where !userDestinations.contains("/etc/" + name) {
      out.append(
        Mount(
          destination: "/etc/" + name, type: "bind", source: context.bundleDirectory + "/" + name,
          options: ["rbind", "rprivate"] + (writable ? [] : ["ro"])))
    }
    return out
  }

  /// Binds, --mount and --tmpfs, sorted so that a parent is mounted before its children.
  static func userMounts(_ s: ContainerSettings, context: SpecContext) throws -> [Mount] {
    var out: [Mount] = []
    for b in s.binds ?? [] {
      let bind = try BindSpec(parsing: b)
      let source: String
      switch bind.source {
      case .hostPath(let p): source = p
      case .namedVolume(let name): source = try context.volumePath(name)
      case .anonymous: source = try context.anonymousVolumePath(bind.destination)
      }
      let isVolume: Bool
      if case .hostPath = bind.source { isVolume = false } else { isVolume = true }
      if isVolume, !bind.noCopy {
        VolumeStore.copyUp(rootfs: context.rootfs, path: bind.destination, to: source)
      }
      out.append(
        Mount(
          destination: bind.destination, type: "bind", source: source,
          options: ["rbind", bind.propagation] + (bind.readOnly ? ["ro"] : [])))
    }
    for m in s.mounts ?? [] {
      try validateMount(m)
      let target = cleanPath(m.target)
      switch m.type {
      case "bind":
        let source = cleanPath(m.source ?? "")
        var st = stat()
        guard stat(source, &st) == 0 else {
          throw DaemonError.invalid(
            "invalid mount config for type \"bind\": bind source path does not exist: \(source)")
        }
        out.append(
          Mount(
            destination: target, type: "bind", source: source,
            options: [m.nonRecursive ? "bind" : "rbind", m.propagation ?? "rprivate"] + (m.readOnly ? ["ro"] : [])))
      case "volume":
        let source: String
        if let name = m.source, !name.isEmpty {
          source = try context.volumePath(name)
        } else {
          source = try context.anonymousVolumePath(target)
        }
        VolumeStore.copyUp(rootfs: context.rootfs, path: target, to: source)
        out.append(
          Mount(
            destination: target, type: "bind", source: source,
            options: ["rbind", "rprivate"] + (m.readOnly ? ["ro"] : [])))
      default:  // tmpfs
        var data: [String] = []
        if let size = m.tmpfsSize, size > 0 { data.append("size=\(size)") }
        if let mode = m.tmpfsMode { data.append("mode=" + String(mode, radix: 8)) }
        if m.readOnly { data.append("ro") }
        out.append(tmpfsMount(target, data: data))
      }
    }
    for (path, data) in (s.tmpfs ?? [:]).sorted(by: { $0.key < $1.key }) {
      out.append(tmpfsMount(cleanPath(path), data: data.split(separator: ",").map(String.init)))
    }
    // The image's VOLUMEs (and `-v /path`) not covered by another mount: anonymous volumes.
    let covered = Set(out.map(\.destination))
    for path in (s.volumes ?? []).map(cleanPath) where path != "/" && !covered.contains(path) {
      let source = try context.anonymousVolumePath(path)
      VolumeStore.copyUp(rootfs: context.rootfs, path: path, to: source)
      out.append(Mount(destination: path, type: "bind", source: source, options: ["rbind", "rprivate"]))
    }
    var seen = Set<String>()
    for m in out where !seen.insert(m.destination).inserted {
      throw DaemonError.invalid("Duplicate mount point: \(m.destination)")
    }
    // Stable: fewer path components first (moby sorts the same way).
    return out.enumerated().sorted { a, b in
      let da = a.element.destination.split(separator: "/").count
      let db = b.element.destination.split(separator: "/").count
      return da != db ? da < db : a.offset < b.offset
    }.map(\.element)
  }

  static func validateMount(_ m: MountSetting) throws {
    let prefix = "invalid mount config for type \"\(m.type)\": "
    guard ["bind", "volume", "tmpfs"].contains(m.type) else {
      throw DaemonError.invalid("mount type unknown: \"\(m.type)\"")
    }
    guard !m.target.isEmpty else { throw DaemonError.invalid(prefix + "field Target must not be empty") }
    guard m.target.hasPrefix("/") else {
      throw DaemonError.invalid(prefix + "invalid mount path: '\(m.target)' mount path must be absolute")
    }
    switch m.type {
    case "bind":
      guard let src = m.source, !src.isEmpty else {
        throw DaemonError.invalid(prefix + "field Source must not be empty")
      }
      guard src.hasPrefix("/") else {
        throw DaemonError.invalid(prefix + "invalid mount path: '\(src)' mount path must be absolute")
      }
      if let p = m.propagation, !BindSpec.propagations.contains(p) {
        throw DaemonError.invalid(prefix + "invalid propagation mode: \(p)")
      }
    case "tmpfs":
      if let src = m.source, !src.isEmpty { throw DaemonError.invalid(prefix + "field Source must not be specified") }
    default:
      if let name = m.source, !name.isEmpty, !BindSpec.isVolumeName(name) {
        throw DaemonError.invalid(prefix + "invalid volume name \"\(name)\"")
      }
    }
  }

  /// A tmpfs with Docker's defaults (noexec, nosuid, nodev) merged with the user's options.
  static func tmpfsMount(_ destination: String, data: [String]) -> Mount {
    Mount(
      destination: destination, type: "tmpfs", source: "tmpfs",
      options: mergeTmpfsOptions(["noexec", "nosuid", "nodev"] + data))
  }

  /// moby's MergeTmpfsOptions: a later flag wins over its opposite, a later key=value over
  /// the same key.
  static func mergeTmpfsOptions(_ options: [String]) -> [String] {
    let opposites: [String: String] = [
      "exec": "noexec", "noexec": "exec", "suid": "nosuid", "nosuid": "suid", "dev": "nodev", "nodev": "dev",
      "ro": "rw", "rw": "ro", "atime": "noatime", "noatime": "atime", "diratime": "nodiratime",
      "nodiratime": "diratime", "strictatime": "nostrictatime", "nostrictatime": "strictatime",
    ]
    var out: [String] = []
    for o in options where !o.isEmpty {
      if let opposite = opposites[o] { out.removeAll { $0 == opposite || $0 == o } }
      if let eq = o.firstIndex(of: "=") {
        let key = o[...eq]
        out.removeAll { $0.hasPrefix(key) }
      } else {
        out.removeAll { $0 == o }
      }
      out.append(o)
    }
    return out
  }
}
