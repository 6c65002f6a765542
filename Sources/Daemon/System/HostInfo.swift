// Facts about the host for /version and /info: kernel, CPUs, memory, OS, cgroup version.
import Cgroups
import LinuxOS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum HostInfo {
  /// uname: (release, machine), e.g. ("6.1.0-18-amd64", "x86_64").
  static func uname() -> (release: String, machine: String) {
    var u = utsname()
    guard Glibc.uname(&u) == 0 else { return ("", "") }
    func field<T>(_ value: T) -> String {
      withUnsafeBytes(of: value) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
    }
    return (field(u.release), field(u.machine))
  }

  static func cpuCount() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// MemTotal from /proc/meminfo, in bytes.
  static func memTotal() -> Int64 {
    guard let text = try? Files.readString("/proc/meminfo") else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      if parts.count >= 2, let kb = Int64(parts[1]) { return kb * 1024 }
    }
    return 0
  }

  /// (PRETTY_NAME, VERSION_ID) from /etc/os-release.
  static func operatingSystem() -> (name: String, version: String) {
    guard let text = try? Files.readString("/etc/os-release") else { return ("Linux", "") }
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let kv = line.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2 else { continue }
      fields[kv[0]] = kv[1].trimmingCharacters(in: "\"")
    }
    return (fields["PRETTY_NAME"] ?? "Linux", fields["VERSION_ID"] ?? "")
  }

  /// A pure cgroup v2 host; read once, the hierarchy does not change under a running daemon.
  static let isCgroupV2 = cgroupVersion() == "2"

  /// "1" for v1 and hybrid hosts (the controllers are v1's), "2" for pure v2.
  static func cgroupVersion() -> String {
    guard let info = try? Files.readString("/proc/self/mountinfo") else { return "1" }
    return Cgroups.detectMode(mountInfo: info) == .v2 ? "2" : "1"
  }

  /// Docker's GOARCH name for the machine.
  static var goArch: String {
    #if arch(arm64)
      "arm64"
    #elseif arch(arm)
      "arm"
    #else
      "amd64"
    #endif
  }

  /// docker's name for the filesystem under `path` ("extfs", "xfs", "btrfs", "tmpfs", …).
  static func backingFilesystem(_ path: String) -> String {
    guard let info = try? Files.readString("/proc/self/mountinfo") else { return "<unknown>" }
    var best: MountInfoEntry?
    for line in info.split(separator: "\n") {
      guard let e = MountInfoEntry(line: line) else { continue }
      let p = e.mountPoint
      guard path == p || path.hasPrefix(p == "/" ? "/" : p + "/") else { continue }
      if best == nil || p.count >= (best?.mountPoint.count ?? 0) { best = e }
    }
    switch best?.fsType {
    case "ext2", "ext3", "ext4": return "extfs"
    case let t?: return t
    case nil: return "<unknown>"
    }
  }

  static func hostname() -> String { ContainerArea.hostHostname() }

  /// Open file descriptors of this process.
  static func openFileCount() -> Int {
    guard let dir = opendir("/proc/self/fd") else { return 0 }
    defer { closedir(dir) }
    var n = 0
    while readdir(dir) != nil { n += 1 }
    return max(0, n - 3)  // ".", ".." and the directory's own fd
  }
}

extension String {
  func trimmingCharacters(in quote: Character) -> String {
    var s = Substring(self)
    while s.first == quote { s.removeFirst() }
    while s.last == quote { s.removeLast() }
    return String(s)
  }
}
