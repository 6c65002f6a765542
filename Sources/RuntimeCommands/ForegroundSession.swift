import CBerth
import Glibc
import LinuxOS

/// The foreground half of `run` and `exec`: this process becomes the container
/// process's reaper, forwards the signals it gets, proxies the terminal, and
/// returns the exit status (128 + signal for a killed process).
struct ForegroundSession {
  let signals: Int32

  init(subreaper: Bool) throws {
    if subreaper { try ProcessAttributes.setChildSubreaper() }
    signals = try sys("signalfd") { berth_signalfd_all() }
  }

  func wait(for pid: Int32, master: Int32?) -> Int32 {
    let saved = master != nil && isatty(0) == 1 ? try? Terminals.makeRaw(0) : nil
    defer { if let saved { Terminals.restore(0, saved) } }
    if let master, let size = Terminals.size(0) {
      try? Terminals.setSize(master, rows: size.rows, columns: size.columns)
    }
    var stdinOpen = master != nil
    var masterOpen = master != nil
    var exitStatus: Int32?
    while true {
      if let status = exitStatus, !masterOpen { return status }
      var fds = [pollfd(fd: signals, events: Int16(POLLIN), revents: 0)]
      if masterOpen, let master { fds.append(pollfd(fd: master, events: Int16(POLLIN), revents: 0)) }
      if stdinOpen { fds.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0)) }
      // Once the process has exited, drain what the pty still holds, then stop.
      let timeout: Int32 = exitStatus == nil ? -1 : 100
      let ready = poll(&fds, nfds_t(fds.count), timeout)
      if ready == 0, exitStatus != nil { masterOpen = false }
      for entry in fds where entry.revents != 0 {
        if entry.fd == signals {
          let signal = berth_signalfd_read(signals)
          if signal == SIGCHLD {
            exitStatus = reap(pid) ?? exitStatus
          } else if signal == SIGWINCH, let master, let size = Terminals.size(0) {
            try? Terminals.setSize(master, rows: size.rows, columns: size.columns)
          } else if signal > 0 && signal != SIGURG {
            kill(pid, signal)
          }
        } else if entry.fd == master, let master {
          if !copy(from: master, to: 1) { masterOpen = false }
        } else if entry.fd == 0, let master {
          if !copy(from: 0, to: master) { stdinOpen = false }
        }
      }
    }
  }

  /// Reaps every exited child (re-parented orphans too); the status of `pid` if it exited.
  func reap(_ pid: Int32) -> Int32? {
    var result: Int32?
    while true {
      var status: Int32 = 0
      let child = waitpid(-1, &status, WNOHANG)
      if child <= 0 { return result }
      if child == pid { result = Processes.Exit(waitStatus: status).code }
    }
  }

  func copy(from source: Int32, to target: Int32) -> Bool {
    guard let bytes = try? FD.read(source, max: 32768), !bytes.isEmpty else { return false }
    return (try? FD.write(target, bytes)) != nil
  }
}
