import CBerth
import Cgroups
import Glibc
import LinuxOS

/// The container process puts itself into its cgroup instead of having the parent write
/// its pid. Moving another process takes the kernel's global threadgroup lock, and its
/// first use waits for an RCU grace period (10–20 ms on this kind of host); a
/// single-threaded process writing "0" (itself) to a v1 `tasks` file skips that lock,
/// and on cgroup2 the child is born in its cgroup (clone3 with CLONE_INTO_CGROUP).
///
/// Stage 1 opens every file while it is still host root in the host's mount namespace
/// (the kernel checks cgroup writes against the opener's credentials); stage 2 uses
/// them right after the fork and closes them before anything else runs.
final class CgroupSelfPlacement {
  /// The `tasks` file of each v1 hierarchy.
  private let v1Tasks: [Int32]
  /// The cgroup2 directory (for CLONE_INTO_CGROUP) and its cgroup.procs (the fallback).
  private let unifiedDirectory: Int32?
  private let unifiedProcs: Int32?

  /// Whether the child was born in its cgroup2 cgroup.
  private(set) var bornInUnified = false

  init(_ placement: CgroupPlacement) throws {
    var tasks: [Int32] = []
    var directory: Int32?
    var procs: Int32?
    do {
      for (controller, path) in placement.paths.sorted(by: { $0.key < $1.key }) {
        if controller == CgroupPlacement.unifiedKey {
          directory = try FD.open(path, O_PATH | O_DIRECTORY)
          procs = try FD.open(path + "/cgroup.procs", O_WRONLY)
        } else {
          tasks.append(try FD.open(path + "/tasks", O_WRONLY))
        }
      }
    } catch {
      for fd in tasks + [directory, procs].compactMap({ $0 }) { FD.close(fd) }
      throw error
    }
    v1Tasks = tasks
    unifiedDirectory = directory
    unifiedProcs = procs
  }

  /// Forks the container process, straight into its cgroup2 cgroup when the kernel can
  /// (not before 5.7, nor in a user namespace the cgroup's owner is not mapped into).
  /// A new pid namespace is made by this fork, not before it: a failed first fork in a
  /// fresh pid namespace would leave that namespace unable to hold any process.
  func fork(newPIDNamespace: Bool) throws -> pid_t {
    let pidFlag = NamespaceKind.pid.cloneFlag
    if let unifiedDirectory {
      let child = berth_fork_into_cgroup(unifiedDirectory, newPIDNamespace ? UInt64(pidFlag) : 0)
      if child >= 0 {
        bornInUnified = true
        return child
      }
    }
    if newPIDNamespace { try Namespaces.unshare(pidFlag) }
    let child = berth_fork()
    if child < 0 { throw SystemError("fork", errno: errno, "container process") }
    return child
  }

  /// In the child, first thing after the fork: writes "0" (the caller) into each
  /// hierarchy it was not born in, then closes every handle.
  func enter() throws {
    defer { close() }
    for fd in v1Tasks { try Self.writeSelf(to: fd, file: "tasks") }
    if !bornInUnified, let unifiedProcs { try Self.writeSelf(to: unifiedProcs, file: "cgroup.procs") }
  }

  /// In the parent: its copies of the handles are not needed after the fork.
  func close() {
    for fd in v1Tasks + [unifiedDirectory, unifiedProcs].compactMap({ $0 }) { FD.close(fd) }
  }

  /// EINVAL can be transient (a cpuset not populated yet), so it is retried like the
  /// parent's placement is.
  private static func writeSelf(to fd: Int32, file: String) throws {
    var attempt = 0
    while true {
      if Glibc.write(fd, "0", 1) == 1 { return }
      let err = errno
      if err == EINTR { continue }
      if err == EINVAL && attempt < 5 {
        attempt += 1
        usleep(30_000)
        continue
      }
      throw SystemError("write", errno: err, "cgroup \(file)")
    }
  }
}
