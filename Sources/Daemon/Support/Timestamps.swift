// RFC 3339 timestamps with nanoseconds (Docker's format), and parsing them back.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum Timestamps {
  static let zero = "0001-01-01T00:00:00Z"

  static func now() -> String { format(nowSpec()) }

  /// Now, in seconds since the epoch.
  static func nowSeconds() -> Double {
    let ts = nowSpec()
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  static func nowSpec() -> timespec {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return ts
  }

  static func format(_ ts: timespec, keepZeros: Bool = false) -> String {
    var t = ts.tv_sec
    var tmv = tm()
    gmtime_r(&t, &tmv)
    func pad(_ v: Int, _ w: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    var frac = pad(Int(ts.tv_nsec), 9)
    if !keepZeros { while frac.hasSuffix("0") { frac.removeLast() } }
    return "\(pad(Int(tmv.tm_year) + 1900, 4))-\(pad(Int(tmv.tm_mon) + 1, 2))-\(pad(Int(tmv.tm_mday), 2))T"
      + "\(pad(Int(tmv.tm_hour), 2)):\(pad(Int(tmv.tm_min), 2)):\(pad(Int(tmv.tm_sec), 2))"
      + (frac.isEmpty ? "" : "." + frac) + "Z"
  }

  /// Seconds since the epoch of an RFC 3339 UTC timestamp (with optional fraction and
  /// "Z" or "+hh:mm"), nil if malformed.
  static func parse(_ s: String) -> Double? {
    let chars = Array(s.utf8)
    guard chars.count >= 20 else { return nil }
    func num(_ from: Int, _ len: Int) -> Int? {
      guard from + len <= chars.count else { return nil }
      var v = 0
      for c in chars[from..<(from + len)] {
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
      }
      return v
    }
    guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
      let sec = num(17, 2)
    else { return nil }
    var i = 19
    var frac = 0.0
    if i < chars.count && chars[i] == UInt8(ascii: ".") {
      i += 1
      var scale = 0.1
      while i < chars.count, chars[i] >= 48 && chars[i] <= 57 {
        frac += Double(chars[i] - 48) * scale
        scale /= 10
        i += 1
      }
    }
    var offset = 0
    if i < chars.count && (chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-")) {
      guard let oh = num(i + 1, 2), let om = num(i + 4, 2) else { return nil }
      offset = (oh * 3600 + om * 60) * (chars[i] == UInt8(ascii: "+") ? 1 : -1)
    }
    // Days from civil (Howard Hinnant's algorithm).
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return Double(days * 86400 + h * 3600 + mi * 60 + sec - offset) + frac
  }
}
