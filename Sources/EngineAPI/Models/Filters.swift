/// The `filters` query parameter: a JSON map of name → values, e.g.
/// `{"label":["a=b"],"status":["running"]}`, or the legacy form `{"label":{"a=b":true}}`.
public struct Filters: Sendable, Equatable, Codable {
  /// name → values (sorted, deduplicated).
  public var fields: [String: [String]]

  public init(_ fields: [String: [String]] = [:]) {
    self.fields = fields.mapValues { Array(Set($0)).sorted() }
  }

  /// Parses the raw (already percent-decoded) query value; nil or empty = no filters.
  public init(json: String?) throws {
    guard let json, !json.isEmpty else {
      self.init()
      return
    }
    let value: JSONValue
    do {
      value = try JSONValue.parse(json)
    } catch {
      throw EngineError.badParameter("invalid filter '\(json)': \(error)")
    }
    guard case .object(let map) = value else {
      throw EngineError.badParameter("invalid filter '\(json)': not a JSON object")
    }
    var fields: [String: [String]] = [:]
    for (name, v) in map {
      switch v {
      case .array(let items):
        fields[name] = try items.map {
          guard case .string(let s) = $0 else {
            throw EngineError.badParameter("invalid filter '\(json)': values of \(name) must be strings")
          }
          return s
        }
      case .object(let legacy):
        fields[name] = legacy.compactMap { key, on in on == .bool(true) ? key : nil }
      case .string(let s):
        fields[name] = [s]
      case .null:
        fields[name] = []
      default:
        throw EngineError.badParameter("invalid filter '\(json)': bad value for \(name)")
      }
    }
    self.init(fields)
  }

  public init(from decoder: any Decoder) throws {
    let value = try JSONValue(from: decoder)
    guard case .object(let map) = value else {
      self.init()
      return
    }
    var fields: [String: [String]] = [:]
    for (name, v) in map {
      switch v {
      case .array(let items): fields[name] = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
      case .object(let legacy): fields[name] = legacy.compactMap { key, on in on == .bool(true) ? key : nil }
      default: fields[name] = []
      }
    }
    self.init(fields)
  }

  public func encode(to encoder: any Encoder) throws {
    try fields.encode(to: encoder)
  }

  public var isEmpty: Bool { fields.isEmpty }

  /// Whether a filter with this name was given.
  public func contains(_ name: String) -> Bool { fields[name] != nil }

  /// The values given for a name ([] when absent).
  public func values(_ name: String) -> [String] { fields[name] ?? [] }

  /// True when `name` is not filtered, or `value` is one of its values.
  public func match(_ name: String, _ value: String) -> Bool {
    guard let wanted = fields[name], !wanted.isEmpty else { return true }
    return wanted.contains(value)
  }

  /// True when `name` is not filtered, or any of `values` is one of its values.
  public func matchAny(_ name: String, _ values: [String]) -> Bool {
    guard let wanted = fields[name], !wanted.isEmpty else { return true }
    return values.contains { wanted.contains($0) }
  }

  /// Docker's label filter: every `key` or `key=value` given must be present in `labels`.
  public func matchLabels(_ labels: [String: String], name: String = "label") -> Bool {
    for wanted in values(name) {
      if let eq = wanted.firstIndex(of: "=") {
        let key = String(wanted[..<eq])
        let value = String(wanted[wanted.index(after: eq)...])
        if labels[key] != value { return false }
      } else if labels[wanted] == nil {
        return false
      }
    }
    return true
  }

  /// Docker's `label!` filter: false when any `key` or `key=value` given is present in `labels`.
  public func passesNegatedLabels(_ labels: [String: String], name: String = "label!") -> Bool {
    values(name).allSatisfy { wanted in
      var single = Filters()
      single.fields["label"] = [wanted]
      return !single.matchLabels(labels)
    }
  }

  /// The `until` filter of the prune endpoints, as seconds since the epoch: a Unix time
  /// (`1700000000`, `1700000000.5`), an RFC 3339 time, or a Go duration before `now`
  /// (`10m`, `24h`, `1h30m`).
  public func pruneUntil(now: Double, parseTimestamp: (String) -> Double?) throws -> Double? {
    guard let raw = values("until").last else { return nil }
    if let unix = Double(raw) { return unix }
    if let t = parseTimestamp(raw) { return t }
    if let d = Self.goDuration(raw) { return now - d }
    throw EngineError.badParameter("failed to parse value as time or duration: \"\(raw)\"")
  }

  /// Seconds of a Go duration made of `h`, `m`, `s` and `ms` parts; nil if malformed.
  static func goDuration(_ text: String) -> Double? {
    var total = 0.0
    var number = ""
    var rest = Substring(text)
    guard !rest.isEmpty else { return nil }
    while let c = rest.first {
      if c.isNumber || c == "." {
        number.append(c)
        rest = rest.dropFirst()
        continue
      }
      guard let value = Double(number) else { return nil }
      number = ""
      if rest.hasPrefix("ms") {
        total += value / 1000
        rest = rest.dropFirst(2)
        continue
      }
      switch c {
      case "h": total += value * 3600
      case "m": total += value * 60
      case "s": total += value
      default: return nil
      }
      rest = rest.dropFirst()
    }
    return number.isEmpty ? total : nil
  }

  /// Throws badParameter for filter names not in `allowed` (dockerd: "invalid filter 'x'").
  public func validate(allowed: Set<String>) throws {
    for name in fields.keys.sorted() where !allowed.contains(name) {
      throw EngineError.badParameter("invalid filter '\(name)'")
    }
  }
}
