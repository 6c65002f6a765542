import Glibc
import OCI

/// A container's cgroup on a v1 host, or on a hybrid one (v1 controllers plus the cgroup2
/// hierarchy under the "unified" key, which only tracks processes).
public struct CgroupV1Manager: CgroupManager {
  public let placement: CgroupPlacement

  public init(placement: CgroupPlacement) {
    self.placement = placement
  }

  /// The directory of `controller`, or nil when no hierarchy has it.
  func path(_ controller: String) -> String? {
    placement.paths[controller]
  }

  /// The directory of `controller`, or an error saying what needed it.
  func requirePath(_ controller: String, for needed: String) throws -> String {
    guard let dir = path(controller) else {
      throw CgroupError.controllerMissing(controller: controller, needed: needed)
    }
    return dir
  }

  /// Every distinct directory (co-mounted controllers share one), in a stable order.
  var directories: [String] {
    Array(Set(placement.paths.values)).sorted()
  }

  public func create() throws {
    // cpuset first: a new cpuset cgroup is unusable until cpus and mems are filled in.
    if let cpuset = path("cpuset") { try Self.prepareCpuset(cpuset) }
    for dir in directories { try CgroupFS.mkdirAll(dir) }
  }

  /// Creates `dir` and any missing parents in the cpuset hierarchy, copying cpuset.cpus and
  /// cpuset.mems from each parent into each child that has them empty (runc does the same),
  /// since the kernel refuses to add tasks to a cpuset with no cpus or mems.
  static func prepareCpuset(_ dir: String) throws {
    let parent = CgroupFS.dirname(dir)
    if CgroupFS.exists(dir, "cpuset.cpus") {
      let cpus = try CgroupFS.read(dir, "cpuset.cpus").trimmingSpaces()
      let mems = try CgroupFS.read(dir, "cpuset.mems").trimmingSpaces()
      if !cpus.isEmpty && !mems.isEmpty { return }
      guard parent != dir, CgroupFS.exists(parent, "cpuset.cpus") else { return }
    } else {
      guard parent != dir else {
        throw CgroupError.noHierarchy("\(dir) is not inside a cpuset hierarchy")
      }
      try prepareCpuset(parent)
      try CgroupFS.mkdir(dir)
    }
    for file in ["cpuset.cpus", "cpuset.mems"] {
      if try CgroupFS.read(dir, file).trimmingSpaces().isEmpty {
        let inherited = try CgroupFS.read(parent, file).trimmingSpaces()
        if !inherited.isEmpty { try CgroupFS.write(dir, file, inherited) }
      }
    }
  }

  public func addProcess(_ pid: Int32) throws {
    for dir in directories { try CgroupTree.addProcess(pid, to: dir) }
  }

  public func processes() throws -> [Int32] {
    let preferred = ["pids", "memory", "freezer", "devices", "cpu"].compactMap { path($0) }
    guard let dir = preferred.first ?? directories.first else { return [] }
    return Array(Set(try CgroupTree.processes(in: dir))).sorted()
  }

  public func freeze() throws {
    let dir = try requirePath("freezer", for: "pause")
    var waited = 0
    var delay = 1
    while true {
      // Re-writing FROZEN makes the kernel retry tasks that were busy the last time.
      try CgroupFS.write(dir, "freezer.state", "FROZEN")
      let state = try CgroupFS.read(dir, "freezer.state").trimmingSpaces()
      if state == "FROZEN" { return }
      if waited >= 5000 {
        try? CgroupFS.write(dir, "freezer.state", "THAWED")
        throw CgroupError.timeout(operation: "freeze (state stayed \(state))", path: dir)
      }
      CgroupFS.sleep(milliseconds: delay)
      waited += delay
      delay = min(delay * 2, 50)
    }
  }

  public func thaw() throws {
    let dir = try requirePath("freezer", for: "resume")
    var waited = 0
    while true {
      try CgroupFS.write(dir, "freezer.state", "THAWED")
      if try CgroupFS.read(dir, "freezer.state").trimmingSpaces() == "THAWED" { return }
      if waited >= 5000 { throw CgroupError.timeout(operation: "thaw", path: dir) }
      CgroupFS.sleep(milliseconds: 5)
      waited += 5
    }
  }

  public func isFrozen() throws -> Bool {
    guard let dir = path("freezer") else { return false }
    return try CgroupFS.read(dir, "freezer.state").trimmingSpaces() == "FROZEN"
  }

  public func oomKillCount() throws -> UInt64 {
    let dir = try requirePath("memory", for: "the OOM kill count")
    // "oom_kill" appeared in memory.oom_control in Linux 4.13.
    return try CgroupFS.readKeyed(dir, "memory.oom_control")["oom_kill"] ?? 0
  }

  public func destroy() throws {
    var firstError: Error?
    for dir in directories {
      do { try CgroupTree.remove(dir) } catch { if firstError == nil { firstError = error } }
    }
    if let firstError { throw firstError }
  }
}
