// RFC 3339 timestamps with nanoseconds, as Docker writes them.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum Timestamp {
  static func now() -> String {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return format(ts)
  }

  static func format(_ ts: timespec) -> String {
    var t = ts.tv_sec
    var tmv = tm()
    gmtime_r(&t, &tmv)
    func pad(_ v: Int32, _ w: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    var frac = pad(Int32(ts.tv_nsec), 9)
    while frac.hasSuffix("0") { frac.removeLast() }
    return "\(pad(tmv.tm_year + 1900, 4))-\(pad(tmv.tm_mon + 1, 2))-\(pad(tmv.tm_mday, 2))T"
      + "\(pad(tmv.tm_hour, 2)):\(pad(tmv.tm_min, 2)):\(pad(tmv.tm_sec, 2))"
      + (frac.isEmpty ? "" : "." + frac) + "Z"
  }
}
