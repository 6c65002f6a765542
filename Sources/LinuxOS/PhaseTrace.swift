import Glibc

/// `BERTH_TRACE=1` prints a monotonic timestamp at each phase of container start-up to
/// stderr, so where the time goes can be read off one run (strace distorts it).
/// `BERTH_TRACE=/abs/file` appends the lines to that file instead: the shim and the runtime
/// it starts have no stderr a person sees, and one file holds every process's marks in
/// one clock. Off, it costs one cached check per mark.
public enum PhaseTrace {
  /// Where marks go: nil when tracing is off. A static let: initialised once, thread-safe
  /// (berthd marks from many threads).
  private static let sink: Int32? = openSink()

  /// The value of BERTH_TRACE, nil when unset.
  private static var setting: String? { getenv("BERTH_TRACE").map { String(cString: $0) } }

  /// Passes tracing on to a child whose environment is otherwise empty.
  public static var environment: [String] { setting.map { ["BERTH_TRACE=\($0)"] } ?? [] }

  public static var isEnabled: Bool { sink != nil }

  public static func mark(_ phase: @autoclosure () -> String) {
    guard let fd = sink else { return }
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    let micros = Int(ts.tv_sec % 1000) * 1_000_000 + Int(ts.tv_nsec) / 1000
    let line = "[trace \(getpid()) \(micros / 1000).\(String(micros % 1000).leftPadded(3))ms] \(phase())\n"
    // One write per line: O_APPEND keeps lines of concurrent processes whole.
    _ = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
  }

  private static func openSink() -> Int32? {
    guard let value = setting else { return nil }
    guard value.hasPrefix("/") else { return 2 }
    // Close-on-exec: the fd must never reach a container's process.
    let fd = open(value, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    return fd >= 0 ? fd : 2
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
