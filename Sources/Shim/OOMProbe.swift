import LinuxOS

/// Tells whether the memory cgroup of a container's init saw an OOM kill while it ran:
/// the `oom_kill` counter of `memory.events` (v2) or `memory.oom_control` (v1), read
/// when the container starts and again when init exits.
struct OOMProbe {
  let counterFile: String
  let baseline: Int

  init?(pid: Int32) {
    guard let cgroups = try? Files.readString("/proc/\(pid)/cgroup") else { return nil }
    var file: String?
    for line in cgroups.split(separator: "\n") {
      let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard fields.count == 3 else { continue }
      if fields[1].split(separator: ",").contains("memory") {
        file = "/sys/fs/cgroup/memory\(fields[2])/memory.oom_control"
        break
      }
      if fields[0] == "0" && fields[1].isEmpty && Files.exists("/sys/fs/cgroup/cgroup.controllers") {
        file = "/sys/fs/cgroup\(fields[2])/memory.events"
      }
    }
    guard let file, let count = Self.count(file) else { return nil }
    counterFile = file
    baseline = count
  }

  var oomKilled: Bool { (Self.count(counterFile) ?? baseline) > baseline }

  static func count(_ file: String) -> Int? {
    guard let text = try? Files.readString(file) else { return nil }
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.count == 2 && parts[0] == "oom_kill" { return Int(parts[1]) }
    }
    return nil
  }
}
