import Glibc

/// Time helpers (no Foundation calendars): now, RFC 3339 parsing, relative times.
public enum Clock {
  /// Seconds since the epoch (fractional).
  public static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  /// Parses RFC 3339 (`2024-05-01T10:20:30.123456789Z`, `+02:00` offsets) to epoch seconds.
  public static func parseRFC3339(_ text: String) -> Double? {
    let chars = Array(text.utf8)
    func num(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= chars.count else { return nil }
      var v = 0
      for c in chars[from..<(from + count)] {
        guard c >= 0x30, c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
      }
      return v
    }
    guard let year = num(0, 4), let month = num(5, 2), let day = num(8, 2), let hour = num(11, 2),
      let minute = num(14, 2), let second = num(17, 2)
    else { return nil }
    var i = 19
    var fraction = 0.0
    if i < chars.count, chars[i] == UInt8(ascii: ".") {
      i += 1
      var scale = 0.1
      while i < chars.count, chars[i] >= 0x30, chars[i] <= 0x39 {
        fraction += Double(chars[i] - 0x30) * scale
        scale /= 10
        i += 1
      }
    }
    var offset = 0
    if i < chars.count, chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-") {
      guard let oh = num(i + 1, 2), let om = num(i + 4, 2) else { return nil }
      offset = (oh * 3600 + om * 60) * (chars[i] == UInt8(ascii: "-") ? -1 : 1)
    }
    let days = daysFromCivil(year, month, day)
    return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
  }

  /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  /// "5 seconds ago"-style text for an epoch time (`units.HumanDuration(now - t) + " ago"`).
  public static func ago(_ epoch: Double, now: Double = Clock.now()) -> String {
    Units.humanDuration(seconds: max(0, now - epoch)) + " ago"
  }

  /// `2006-01-02 15:04:05 -0700 MST` in local time, as Go prints a time.Time.
  public static func goTimeString(_ epoch: Double) -> String {
    var t = time_t(epoch)
    var tmValue = tm()
    localtime_r(&t, &tmValue)
    func pad(_ v: Int32, _ n: Int = 2) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    let off = tmValue.tm_gmtoff
    let sign = off < 0 ? "-" : "+"
    let a = abs(off)
    let zone = tmValue.tm_zone.map { String(cString: $0) } ?? "UTC"
    return "\(pad(tmValue.tm_year + 1900, 4))-\(pad(tmValue.tm_mon + 1))-\(pad(tmValue.tm_mday)) "
      + "\(pad(tmValue.tm_hour)):\(pad(tmValue.tm_min)):\(pad(tmValue.tm_sec)) "
      + "\(sign)\(pad(Int32(a / 3600)))\(pad(Int32((a % 3600) / 60))) \(zone)"
  }

  /// Parses docker's `--since`/`--until`: RFC 3339, unix seconds, or a Go duration ago ("10m").
  public static func parseTimestamp(_ text: String, now: Double = Clock.now()) -> Double? {
    if let d = Double(text) { return d }
    if let t = parseRFC3339(text) { return t }
    if text.count == 10, let t = parseRFC3339(text + "T00:00:00Z") { return t }
    if let d = parseDuration(text) { return now - d }
    return nil
  }

  /// Go durations: "1h30m", "10s", "500ms", "2.5m".
  public static func parseDuration(_ text: String) -> Double? {
    let units: [(String, Double)] = [
      ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]
    var rest = Substring(text)
    var total = 0.0
    guard !rest.isEmpty else { return nil }
    while !rest.isEmpty {
      let numberText = rest.prefix(while: { $0.isNumber || $0 == "." })
      guard let value = Double(numberText) else { return nil }
      rest = rest.dropFirst(numberText.count)
      guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) })
      else { return nil }
      rest = rest.dropFirst(unit.count)
      total += value * scale
    }
    return total
  }
}
