import Glibc
import LinuxOS

/// A process the shim watches: the container's init (key "") or an exec (key = exec id).
/// It owns the shim's ends of the process's stdio.
final class ManagedProcess {
  let key: String
  let terminal: Bool
  let stdinOnce: Bool
  var pid: Int32 = 0
  var started = false
  /// The pty master (terminal), or -1.
  var master: Int32 = -1
  /// Where stdin goes: the pipe's write end, or the pty master; -1 when none.
  var stdinFD: Int32 = -1
  /// Open output fds and the stream each carries.
  var outputs: [(fd: Int32, stream: ShimStream)] = []
  var pendingStdin: [UInt8] = []
  var closeStdinWhenFlushed = false
  var exit: Processes.Exit?
  var exitedAt: String?
  var oomProbe: OOMProbe?
  var oomKilled = false
  /// When output still open after the exit stops being waited for.
  var drainDeadline: UInt64?
  var finished = false

  init(key: String, terminal: Bool, stdinOnce: Bool) {
    self.key = key
    self.terminal = terminal
    self.stdinOnce = stdinOnce
  }

  var status: ShimProcessStatus {
    if exit != nil { return .exited }
    return started ? .running : .created
  }

  /// Closes stdin once pending input is written; a terminal gets ^D instead.
  func requestCloseStdin() {
    guard stdinFD >= 0 else { return }
    if terminal {
      pendingStdin.append(0x04)
    } else {
      closeStdinWhenFlushed = true
      if pendingStdin.isEmpty { closeStdin() }
    }
  }

  func closeStdin() {
    if stdinFD >= 0 && stdinFD != master { FD.close(stdinFD) }
    stdinFD = -1
    pendingStdin = []
    closeStdinWhenFlushed = false
  }

  func closeOutput(_ fd: Int32) {
    outputs.removeAll { $0.fd == fd }
    if fd == master {
      if stdinFD == master { stdinFD = -1 }
      master = -1
    }
    FD.close(fd)
  }

  func closeAll() {
    closeStdin()
    for output in outputs { FD.close(output.fd) }
    outputs = []
    if master >= 0 { FD.close(master) }
    master = -1
  }

  func response() -> ShimResponse {
    var response = ShimResponse()
    response.pid = pid
    response.status = status
    response.terminal = terminal
    if let exit {
      response.exitCode = exit.code
      response.exitedAt = exitedAt
      response.oomKilled = oomKilled
    }
    return response
  }
}
