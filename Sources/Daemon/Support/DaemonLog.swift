// berthd's log: swift-log, written to stderr as dockerd writes it — logrus's text form
// (`time="…" level=info msg="…"`) or one JSON object a line (`--log-format json`).
import Logging
import LinuxOS

public enum DaemonLogLevel: String, Sendable {
  case debug, info, warn, error, fatal

  var swiftLog: Logger.Level {
    switch self {
    case .debug: .debug
    case .info: .info
    case .warn: .warning
    case .error: .error
    case .fatal: .critical
    }
  }
}

public enum DaemonLogFormat: String, Sendable {
  case text, json
}

enum DaemonLog {
  /// The engine's logger; areas add their name as metadata where it helps.
  static let engine = Logger(label: "berthd")

  /// Once, before anything logs (berthd's start).
  static func bootstrap(level: DaemonLogLevel, format: DaemonLogFormat) {
    LoggingSystem.bootstrap { _ in DaemonLogHandler(level: level.swiftLog, format: format) }
  }
}

struct DaemonLogHandler: LogHandler {
  var logLevel: Logger.Level
  var metadata: Logger.Metadata = [:]
  let format: DaemonLogFormat

  init(level: Logger.Level, format: DaemonLogFormat) {
    self.logLevel = level
    self.format = format
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    var fields = metadata
    for (k, v) in event.metadata ?? [:] { fields[k] = v }
    printError(Self.line(level: event.level, message: "\(event.message)", fields: fields, format: format))
  }

  static func levelName(_ level: Logger.Level) -> String {
    switch level {
    case .trace, .debug: "debug"
    case .info, .notice: "info"
    case .warning: "warning"
    case .error: "error"
    case .critical: "fatal"
    }
  }

  static func line(level: Logger.Level, message: String, fields: Logger.Metadata, format: DaemonLogFormat) -> String {
    let time = Timestamps.now()
    let extra = fields.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
    switch format {
    case .text:
      var out = "time=\"\(time)\" level=\(levelName(level)) msg=\(quoted(message))"
      for (k, v) in extra { out += " \(k)=\(quoted(v))" }
      return out
    case .json:
      var out = "{\"level\":\(quoted(levelName(level))),\"msg\":\(quoted(message))"
      for (k, v) in extra { out += ",\(quoted(k)):\(quoted(v))" }
      return out + ",\"time\":\(quoted(time))}"
    }
  }

  /// A JSON string literal (logrus quotes text values the same way).
  static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
