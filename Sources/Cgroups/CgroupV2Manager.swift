import Glibc
import OCI

/// A container's cgroup on a pure cgroup v2 host. Everything works on a directory path, so
/// the hierarchy root can be any directory laid out like a cgroup2 mount (tests use a
/// temporary directory).
public struct CgroupV2Manager: CgroupManager {
  /// The container's cgroup directory.
  public let path: String

  public init(path: String) {
    self.path = path
  }

  public var placement: CgroupPlacement {
    CgroupPlacement(mode: .v2, paths: [CgroupPlacement.unifiedKey: path])
  }

  func dir() throws -> String {
    guard path.hasPrefix("/") else {
      throw CgroupError.noHierarchy(
        "the cgroup placement has no absolute \"unified\" path (got \"\(path)\")")
    }
    return path
  }

  /// Creates the cgroup and every missing parent, enabling in each ancestor's
  /// cgroup.subtree_control every controller it has, so the leaf gets all of them.
  public func create() throws {
    let leaf = try dir()
    let root = try Self.hierarchyRoot(containing: leaf)
    // Ancestors from the hierarchy root down to the leaf's parent.
    var chain: [String] = []
    var cursor = CgroupFS.dirname(leaf)
    while cursor.count >= root.count {
      chain.insert(cursor, at: 0)
      if cursor == root { break }
      cursor = CgroupFS.dirname(cursor)
    }
    for ancestor in chain {
      if ancestor != root { try CgroupFS.mkdir(ancestor) }
      try Self.enableControllers(in: ancestor)
    }
    try CgroupFS.mkdir(leaf)
  }

  /// The top directory of the cgroup2 hierarchy holding `path`: the highest ancestor that
  /// still has cgroup.controllers.
  static func hierarchyRoot(containing path: String) throws -> String {
    var cursor = path
    // Walk up to the nearest existing cgroup.
    while !CgroupFS.exists(cursor, "cgroup.controllers") {
      let parent = CgroupFS.dirname(cursor)
      if parent == cursor {
        throw CgroupError.noHierarchy("\(path) is not inside a cgroup2 hierarchy")
      }
      cursor = parent
    }
    while true {
      let parent = CgroupFS.dirname(cursor)
      if parent == cursor || !CgroupFS.exists(parent, "cgroup.controllers") { return cursor }
      cursor = parent
    }
  }

  /// Writes "+ctrl …" to cgroup.subtree_control for every available, not yet enabled
  /// controller. If the batch fails (e.g. one controller cannot be delegated), tries each
  /// alone and keeps those the kernel accepts.
  static func enableControllers(in dir: String) throws {
    let available = try CgroupFS.read(dir, "cgroup.controllers").split(separator: " ").map(
      String.init)
    let enabled = Set(
      try CgroupFS.read(dir, "cgroup.subtree_control").split(separator: " ").map(String.init))
    let missing = available.filter { !enabled.contains($0) }
    guard !missing.isEmpty else { return }
    do {
      try CgroupFS.write(
        dir, "cgroup.subtree_control", missing.map { "+" + $0 }.joined(separator: " "))
    } catch {
      for controller in missing {
        try? CgroupFS.write(dir, "cgroup.subtree_control", "+" + controller)
      }
    }
  }

  public func addProcess(_ pid: Int32) throws {
    try CgroupTree.addProcess(pid, to: try dir())
  }

  public func processes() throws -> [Int32] {
    Array(Set(try CgroupTree.processes(in: try dir()))).sorted()
  }

  public func freeze() throws { try setFrozen(true) }
  public func thaw() throws { try setFrozen(false) }

  /// cgroup.freeze (Linux ≥ 5.2), then wait until cgroup.events says "frozen 1" / "frozen 0".
  func setFrozen(_ frozen: Bool) throws {
    let dir = try dir()
    guard CgroupFS.exists(dir, "cgroup.freeze") else {
      throw CgroupError.unsupported(
        "pause/resume needs cgroup.freeze (Linux 5.2 or newer); \(dir) has none")
    }
    try CgroupFS.write(dir, "cgroup.freeze", frozen ? "1" : "0")
    var waited = 0
    var delay = 1
    while try isFrozen() != frozen {
      if waited >= 5000 {
        if frozen { try? CgroupFS.write(dir, "cgroup.freeze", "0") }
        throw CgroupError.timeout(operation: frozen ? "freeze" : "thaw", path: dir)
      }
      CgroupFS.sleep(milliseconds: delay)
      waited += delay
      delay = min(delay * 2, 50)
    }
  }

  public func isFrozen() throws -> Bool {
    let dir = try dir()
    guard CgroupFS.exists(dir, "cgroup.events") else { return false }
    return try CgroupFS.readKeyed(dir, "cgroup.events")["frozen"] == 1
  }

  public func oomKillCount() throws -> UInt64 {
    let dir = try dir()
    guard CgroupFS.exists(dir, "memory.events") else {
      throw CgroupError.controllerMissing(controller: "memory", needed: "the OOM kill count")
    }
    return try CgroupFS.readKeyed(dir, "memory.events")["oom_kill"] ?? 0
  }

  public func destroy() throws {
    try CgroupTree.remove(try dir())
  }
}
