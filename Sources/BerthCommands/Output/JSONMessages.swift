import EngineClient
import Glibc

/// docker's jsonmessage rendering of a progress stream (`pull`, `push`, `load`): on a
/// terminal, one line per layer id updated in place with progress bars drawn from
/// `progressDetail`; otherwise plain lines, without the progress updates.
struct JSONMessageRenderer {
  let terminal: Bool
  /// The terminal's width (docker draws the bar above 110 columns, the time left above 50).
  let width: Int
  let now: Double
  private var lines: [String: Int] = [:]

  init(terminal: Bool, width: Int, now: Double = Clock.now()) {
    self.terminal = terminal
    self.width = width
    self.now = now
  }

  /// Renders one message; returns the text to write.
  mutating func render(_ message: JSON) -> String {
    if message["aux"] != nil { return "" }
    let id = message["id"]?.stringValue ?? ""
    let detail = message["progressDetail"]
    let hasProgress = detail != nil || message["progress"] != nil
    var out = ""
    var diff = 0
    if !id.isEmpty && hasProgress {
      let line: Int
      if let known = lines[id] {
        line = known
      } else {
        line = lines.count
        lines[id] = line
        if terminal { out += "\n" }
      }
      diff = lines.count - line
      if terminal && diff > 0 { out += "\u{1b}[\(diff)A" }
    } else {
      // Anything else ends the block of progress lines (pull -a moves to the next tag).
      lines = [:]
    }
    out += display(message, id: id)
    if !id.isEmpty && terminal && diff > 0 { out += "\u{1b}[\(diff)B" }
    return out
  }

  func display(_ message: JSON, id: String) -> String {
    let stream = message["stream"]?.stringValue ?? ""
    let progress = progressText(message)
    let hasProgress = message["progressDetail"] != nil || message["progress"] != nil
    var out = ""
    var endl = ""
    if terminal && stream.isEmpty && hasProgress {
      out += "\u{1b}[2K\r"
      endl = "\r"
    } else if hasProgress && !progress.isEmpty {
      return ""  // no progress bars off a terminal
    }
    if !id.isEmpty { out += "\(id): " }
    if let from = message["from"]?.stringValue, !from.isEmpty { out += "(from \(from)) " }
    let status = message["status"]?.stringValue ?? ""
    if hasProgress && terminal {
      out += "\(status) \(progress)\(endl)"
    } else if !stream.isEmpty {
      out += stream + endl
    } else {
      out += status + endl + "\n"
    }
    return out
  }

  /// JSONProgress.String: bar, sizes and time left from `progressDetail`, else the
  /// daemon's own `progress` text.
  func progressText(_ message: JSON) -> String {
    guard let detail = message["progressDetail"], detail.objectValue?.isEmpty == false else {
      return message["progress"]?.stringValue ?? ""
    }
    let current = detail["current"]?.doubleValue ?? 0
    let total = detail["total"]?.doubleValue ?? 0
    let units = detail["units"]?.stringValue ?? ""
    if current <= 0 && total <= 0 { return "" }
    if total <= 0 {
      return units.isEmpty ? pad(Units.humanSize(current), 8) : "\(Int64(current)) \(units)"
    }
    let percentage = min(50, Int(current / total * 100) / 2)
    var bar = ""
    if width > 110 {
      bar =
        "[" + String(repeating: "=", count: percentage) + ">" + String(repeating: " ", count: max(0, 50 - percentage))
        + "] "
    }
    var numbers = ""
    if detail["hidecounts"]?.boolValue == true {
    } else if units.isEmpty {
      numbers = pad(Units.humanSize(current), 8) + (current > total ? "" : "/" + Units.humanSize(total))
    } else {
      numbers = current > total ? "\(Int64(current)) \(units)" : "\(Int64(current))/\(Int64(total)) \(units)"
    }
    var left = ""
    if let start = detail["start"]?.doubleValue, current > 0, start > 0, percentage < 50, width > 50 {
      let perEntry = (now - start) / current
      left = " " + Self.goDuration(Int64((total - current) * perEntry))
    }
    return bar + numbers + left
  }

  func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

  /// Go's Duration.String for whole seconds ("0s", "45s", "3m5s", "1h2m3s").
  static func goDuration(_ seconds: Int64) -> String {
    if seconds <= 0 { return "0s" }
    let h = seconds / 3600
    let m = seconds % 3600 / 60
    let s = seconds % 60
    if h > 0 { return "\(h)h\(m)m\(s)s" }
    if m > 0 { return "\(m)m\(s)s" }
    return "\(s)s"
  }
}
