// A container's logging driver, as dockerd's: json-file (the default), local, or none.
// Berth's shim writes both json-file and local as json-file lines (local only changes the
// rotation defaults); none writes nothing and cannot be read back.
import EngineAPI

public struct LogSettings: Codable, Sendable, Equatable {
  public var driver: String
  public var options: [String: String]

  public static let jsonFile = LogSettings(driver: "json-file", options: [:])

  /// The options each driver accepts (dockerd refuses any other).
  static let allowedOptions: [String: Set<String>] = [
    "json-file": ["max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag"],
    "local": ["max-size", "max-file", "compress"],
    "none": [],
  ]

  /// Validates a create request's LogConfig (an empty type is the default driver).
  init(_ config: LogConfig?) throws {
    let driver = (config?.type).flatMap { $0.isEmpty ? nil : $0 } ?? "json-file"
    guard let allowed = Self.allowedOptions[driver] else {
      throw DaemonError.invalid("logger: no log driver named '\(driver)' is registered")
    }
    let options = config?.config ?? [:]
    for key in options.keys.sorted() where !allowed.contains(key) {
      throw DaemonError.invalid("unknown log opt '\(key)' for \(driver) log driver")
    }
    self.init(driver: driver, options: options)
    _ = try rotation()
  }

  init(driver: String, options: [String: String]) {
    self.driver = driver
    self.options = options
  }

  /// Whether the shim writes a log file that `logs` can read.
  var isReadable: Bool { driver != "none" }

  /// (max-size in bytes, 0 for unlimited; max-file ≥ 1), with each driver's defaults
  /// (local: 20 MB in 5 files, as dockerd's).
  func rotation() throws -> (maxSize: Int64, maxFiles: Int) {
    let local = driver == "local"
    var maxSize: Int64 = local ? 20 << 20 : 0
    var maxFiles = local ? 5 : 1
    if let text = options["max-size"] {
      guard let bytes = Self.parseSize(text), bytes > 0 else {
        throw DaemonError.invalid("failed to parse max-size \(text): must be a positive size such as 10m")
      }
      maxSize = bytes
    }
    if let text = options["max-file"] {
      guard let n = Int(text), n >= 1 else { throw DaemonError.invalid("max-file cannot be less than 1: \(text)") }
      guard maxSize > 0 || n == 1 else { throw DaemonError.invalid("max-file can only be set if max-size is set") }
      maxFiles = n
    }
    return (maxSize, maxFiles)
  }

  /// docker's sizes: a number with an optional k, m, g (or kb, mb, gb) suffix, powers of 1024.
  static func parseSize(_ text: String) -> Int64? {
    let lower = text.lowercased()
    let digits = lower.prefix { $0.isNumber || $0 == "." }
    guard let value = Double(digits) else { return nil }
    let unit = lower.dropFirst(digits.count).trimmingPrefix(" ")
    let scale: Double
    switch unit {
    case "", "b": scale = 1
    case "k", "kb", "kib": scale = 1024
    case "m", "mb", "mib": scale = 1024 * 1024
    case "g", "gb", "gib": scale = 1024 * 1024 * 1024
    default: return nil
    }
    return Int64(value * scale)
  }
}
