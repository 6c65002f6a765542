import Glibc

/// `BERTH_TRACE=1` prints a monotonic timestamp at each phase of container start-up to
/// stderr, so where the time goes can be read off one run (strace distorts it).
/// Off, it costs one cached check per mark.
public enum PhaseTrace {
  nonisolated(unsafe) private static var enabled: Bool? = nil

  /// Passes tracing on to a child whose environment is otherwise empty.
  public static var environment: [String] { getenv("BERTH_TRACE") != nil ? ["BERTH_TRACE=1"] : [] }

  public static func mark(_ phase: @autoclosure () -> String) {
    if enabled == nil { enabled = getenv("BERTH_TRACE") != nil }
    guard enabled == true else { return }
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    let micros = Int(ts.tv_sec % 1000) * 1_000_000 + Int(ts.tv_nsec) / 1000
    printError("[trace \(getpid()) \(micros / 1000).\(String(micros % 1000).leftPadded(3))ms] \(phase())")
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
