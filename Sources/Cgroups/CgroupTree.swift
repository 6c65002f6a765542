import Glibc

/// Operations on a cgroup directory and the cgroups below it, common to v1 and v2.
enum CgroupTree {
  /// Every pid in `dir`'s cgroup.procs and its descendants'; a missing cgroup has none.
  static func processes(in dir: String) throws -> [Int32] {
    guard CgroupFS.isDirectory(dir) else { return [] }
    var pids: [Int32] = []
    let text: String
    do {
      text = try CgroupFS.read(dir, "cgroup.procs")
    } catch let error as CgroupError where error.errno == ENOENT {
      return []
    }
    for line in text.split(separator: "\n") {
      if let pid = Int32(line.trimmingSpaces()) { pids.append(pid) }
    }
    for child in try CgroupFS.subdirectories(dir) {
      pids += try processes(in: CgroupFS.join(dir, child))
    }
    return pids
  }

  /// Adds `pid` to `dir`'s cgroup.procs. EINVAL can be transient (e.g. cpuset not yet
  /// populated, or a task in transition), so it is retried a few times like runc does.
  static func addProcess(_ pid: Int32, to dir: String) throws {
    var attempt = 0
    while true {
      do {
        try CgroupFS.write(dir, "cgroup.procs", String(pid))
        return
      } catch let error as CgroupError where error.errno == EINVAL && attempt < 5 {
        attempt += 1
        CgroupFS.sleep(milliseconds: 30)
      }
    }
  }

  /// Removes `dir` and the cgroups below it, leaves first. A cgroup dir can only be removed
  /// once empty of tasks, and may report EBUSY briefly after its last task exited, so
  /// EBUSY is retried for about a second. ENOENT is fine (already gone).
  static func remove(_ dir: String) throws {
    // A container's cgroup rarely has children: one rmdir per hierarchy instead of the
    // seven calls of a listing first (every `delete` pays this in each hierarchy).
    if rmdir(dir) == 0 { return }
    switch errno {
    case ENOENT, ENOTDIR: return
    case EBUSY, ENOTEMPTY, EINTR: break
    case let err: throw CgroupError.system(operation: "rmdir", path: dir, errno: err)
    }
    guard CgroupFS.isDirectory(dir) else { return }
    let children: [String]
    do {
      children = try CgroupFS.subdirectories(dir)
    } catch let error as CgroupError where error.errno == ENOENT {
      return
    }
    for child in children { try remove(CgroupFS.join(dir, child)) }
    var delay = 5
    var waited = 0
    while true {
      if rmdir(dir) == 0 { return }
      let err = errno
      if err == ENOENT { return }
      if err == EINTR { continue }
      if err == EBUSY && waited < 1000 {
        CgroupFS.sleep(milliseconds: delay)
        waited += delay
        delay = min(delay * 2, 100)
        continue
      }
      throw CgroupError.system(operation: "rmdir", path: dir, errno: err)
    }
  }
}
