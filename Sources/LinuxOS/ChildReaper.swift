import CBerth
import Glibc
import Synchronization

/// Collects the exit status of children nobody else waits for: berthd's shims. A shim
/// is started directly in its own session rather than through a second process that
/// exits at once (which cost a process start per container); it then stays berthd's
/// child, and this reaper keeps it from lingering as a zombie. One thread polls a
/// pidfd per adopted child and reaps each as soon as it exits.
public final class ChildReaper: Sendable {
  public static let shared = ChildReaper()

  private let adopted = Mutex<[pid_t]>([])
  /// Wakes the thread when a child is adopted: (read end, write end), non-blocking.
  private let wake: (read: Int32, write: Int32)
  private let started = Mutex(false)

  private init() {
    var fds: [Int32] = [-1, -1]
    if berth_pipe2(&fds, O_CLOEXEC | O_NONBLOCK) != 0 { fds = [-1, -1] }
    wake = (fds[0], fds[1])
  }

  /// Reaps `pid`, a child of this process that nothing has waited for, once it exits;
  /// adopt each child once. Without a usable pipe (fd exhaustion at start-up) the child
  /// is reaped by a blocking wait on its own thread.
  public func adopt(_ pid: pid_t) {
    guard wake.read >= 0 else {
      Threads.start { _ = try? Processes.wait(pid) }
      return
    }
    adopted.withLock { $0.append(pid) }
    started.withLock { running in
      // Retried at the next adoption if no thread could be made now.
      if !running { running = Threads.start { ChildReaper.shared.run() } }
    }
    var byte: UInt8 = 1
    _ = write(wake.write, &byte, 1)
  }

  private func run() -> Never {
    var watched: [(pid: pid_t, fd: Int32)] = []
    while true {
      for pid in adopted.withLock({ list in
        defer { list = [] }; return list
      }) {
        let fd = berth_pidfd_open(pid)
        if fd >= 0 {
          watched.append((pid, fd))
        } else {
          // Not a pidfd-able child (already reaped elsewhere): nothing to wait for.
          var status: Int32 = 0
          _ = waitpid(pid, &status, WNOHANG)
        }
      }
      var polls = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
      polls += watched.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
      let ready = poll(&polls, nfds_t(polls.count), -1)
      if ready < 0 { continue }
      if polls[0].revents != 0 {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wake.read, &buffer, buffer.count) > 0 {}
      }
      var still: [(pid: pid_t, fd: Int32)] = []
      for (index, child) in watched.enumerated() {
        guard polls[index + 1].revents != 0 else {
          still.append(child)
          continue
        }
        var status: Int32 = 0
        // 0: readable before the zombie is visible to waitpid; look again next round.
        if waitpid(child.pid, &status, WNOHANG) == 0 {
          still.append(child)
          continue
        }
        close(child.fd)
      }
      watched = still
    }
  }
}
