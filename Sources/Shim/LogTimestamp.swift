import Glibc

/// RFC 3339 timestamps with nanoseconds in UTC, as docker's json-file log writes them
/// ("2026-11-23T08:00:00.123456789Z").
enum LogTimestamp {
  static func now() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return format(seconds: now.tv_sec, nanoseconds: now.tv_nsec)
  }

  static func format(seconds: Int, nanoseconds: Int) -> String {
    var time = tm()
    var t = time_t(seconds)
    gmtime_r(&t, &time)
    return "\(pad(Int(time.tm_year) + 1900, 4))-\(pad(Int(time.tm_mon) + 1, 2))-\(pad(Int(time.tm_mday), 2))T"
      + "\(pad(Int(time.tm_hour), 2)):\(pad(Int(time.tm_min), 2)):\(pad(Int(time.tm_sec), 2)).\(pad(nanoseconds, 9))Z"
  }

  static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  /// CLOCK_MONOTONIC in nanoseconds, for deadlines.
  static func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
  }
}
