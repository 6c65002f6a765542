// Signals delivered as bytes on a pipe. A Swift program's threads (the concurrency pool,
// Dispatch, NIO) are not all started by code that could block signals first, so a
// blocked mask plus sigwait misses signals that land on a thread that never blocked
// them; a process-wide handler that writes to a pipe catches them on any thread.
import CBerth

#if canImport(Glibc)
  import Glibc
#endif

public struct SignalPipe: Sendable {
  private let readEnd: Int32

  /// Routes each of `signals` to the pipe (replacing their current dispositions).
  public init(catching signals: [Int32]) throws {
    let (readEnd, writeEnd) = try FD.pipe()
    self.readEnd = readEnd
    for s in signals {
      try sys("sigaction", "signal \(s)") { berth_signal_to_pipe(s, writeEnd) }
    }
  }

  /// Blocks until one of the signals arrives; returns its number.
  public func next() -> Int32 {
    var byte: UInt8 = 0
    while true {
      let n = read(readEnd, &byte, 1)
      if n == 1 { return Int32(byte) }
      if n < 0 && errno == EINTR { continue }
      return -1
    }
  }
}
