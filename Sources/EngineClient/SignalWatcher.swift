import Glibc
import LinuxOS

/// Write end of the self-pipe the signal handler writes to (set before handlers exist).
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// Reports signals through a self-pipe, so a poll(2) loop can handle SIGWINCH (resize) and
/// forwarded signals without threads. One watcher at a time per process.
public final class SignalWatcher {
  /// The read end to poll.
  public let fd: Int32
  private let writeFD: Int32
  private let signals: [Int32]
  private var previous: [sigaction] = []

  /// nil when the pipe cannot be made (the caller then does without).
  public init?(signals: [Int32]) {
    guard let fds = try? FD.pipe() else { return nil }
    fd = fds.read
    writeFD = fds.write
    _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    _ = fcntl(writeFD, F_SETFL, O_NONBLOCK)
    self.signals = signals
    signalPipeWriteFD = writeFD
    for s in signals {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { signal in
        var byte = UInt8(truncatingIfNeeded: signal)
        _ = Glibc.write(signalPipeWriteFD, &byte, 1)
      }
      action.sa_flags = SA_RESTART
      sigemptyset(&action.sa_mask)
      var old = sigaction()
      _ = sigaction(s, &action, &old)
      previous.append(old)
    }
  }

  /// The signals that arrived since the last call.
  public func drain() -> [Int32] {
    var out: [Int32] = []
    var buffer = [UInt8](repeating: 0, count: 64)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      out += buffer[0..<n].map { Int32($0) }
    }
    return out
  }

  /// Restores the previous handlers and closes the pipe.
  public func stop() {
    for (i, s) in signals.enumerated() where i < previous.count {
      var old = previous[i]
      _ = sigaction(s, &old, nil)
    }
    signalPipeWriteFD = -1
    _ = Glibc.close(fd)
    _ = Glibc.close(writeFD)
  }
}
