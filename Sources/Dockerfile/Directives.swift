/// The parser directives at the top of a Dockerfile (`# syntax=`, `# escape=`, `# check=`).
public struct Directives: Equatable, Sendable {
  /// `# syntax=`: the frontend image the author asked for, as written (Berth only records
  /// it; `syntaxReference` is the image without the frontend options).
  public var syntax: String?
  /// `# escape=`: the escape and line-continuation character, `\` or `` ` ``.
  public var escape: Character
  /// `# check=`: build-check configuration.
  public var check: CheckDirective?

  public init(syntax: String? = nil, escape: Character = "\\", check: CheckDirective? = nil) {
    self.syntax = syntax
    self.escape = escape
    self.check = check
  }

  /// The frontend reference of `# syntax=docker/dockerfile:1 // opts` (`docker/dockerfile:1`).
  public var syntaxReference: String? { syntax.map(Self.withoutOptions) }

  /// BuildKit reads a directive's value up to a `//` comment.
  static func withoutOptions(_ value: String) -> String {
    let s = value.scalars
    guard let i = s.indices.first(where: { $0 + 1 < s.count && s[$0] == "/" && s[$0 + 1] == "/" }) else {
      return value
    }
    return String(s[..<i]).trimmingSpace()
  }
}

/// `# check=skip=A,B;error=true`.
public struct CheckDirective: Equatable, Sendable {
  /// Check names to skip (Pascal case, as written).
  public var skip: [String]
  /// `skip=all`.
  public var skipAll: Bool
  /// `error=true`: failing checks fail the build.
  public var error: Bool

  public init(skip: [String] = [], skipAll: Bool = false, error: Bool = false) {
    self.skip = skip
    self.skipAll = skipAll
    self.error = error
  }

  /// Parses the directive's value as BuildKit does (options separated by `;`).
  static func parse(_ value: String) throws(ParseFailure) -> CheckDirective {
    var result = CheckDirective()
    for part in Directives.withoutOptions(value).split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false) {
      guard let eq = part.firstIndex(of: "=") else { throw ParseFailure("invalid check option \"\(part)\"") }
      let key = String(part[..<eq]).trimmingSpace()
      let val = String(part[part.index(after: eq)...]).trimmingSpace()
      switch key {
      case "skip":
        if val == "all" {
          result.skipAll = true
        } else {
          result.skip = val.split(separator: ",").map { String($0).trimmingSpace() }.filter { !$0.isEmpty }
        }
      case "error":
        guard let flag = GoBool.parse(val) else {
          throw ParseFailure("failed to parse check option \"\(part)\": invalid syntax")
        }
        result.error = flag
      default:
        throw ParseFailure("invalid check option \"\(key)\"")
      }
    }
    return result
  }
}

/// Recognises directives line by line until the first line that is not one.
struct DirectiveScanner {
  private(set) var directives = Directives()
  private(set) var done = false
  private var seen: Set<String> = []

  /// Feeds one physical line (leading whitespace already removed). Returns true when the
  /// line was a directive.
  mutating func feed(_ line: String) throws(ParseFailure) -> Bool {
    if done { return false }
    guard let (key, value) = Self.match(line), ["syntax", "escape", "check"].contains(key) else {
      done = true
      return false
    }
    if seen.contains(key) { throw ParseFailure("only one \(key) parser directive can be used") }
    seen.insert(key)
    switch key {
    case "escape":
      guard value == "\\" || value == "`", let c = value.first else {
        throw ParseFailure("invalid escape token '\(value)' does not match ` or \\")
      }
      directives.escape = c
    case "syntax":
      directives.syntax = value
    default:
      directives.check = try CheckDirective.parse(value)
    }
    return true
  }

  /// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, with the key lowercased.
  static func match(_ line: String) -> (String, String)? {
    let s = line.scalars
    guard s.first == "#" else { return nil }
    var i = 1
    while i < s.count && s[i].isSpace { i += 1 }
    let keyStart = i
    guard i < s.count, s[i].isASCIILetter else { return nil }
    while i < s.count && (s[i].isASCIILetter || s[i].isASCIIDigit) { i += 1 }
    let key = String(s[keyStart..<i]).lowercased()
    while i < s.count && s[i].isSpace { i += 1 }
    guard i < s.count, s[i] == "=" else { return nil }
    i += 1
    let value = String(s[i...]).trimmingSpace()
    guard !value.isEmpty else { return nil }
    return (key, value)
  }
}

/// Go's `strconv.ParseBool`.
enum GoBool {
  static func parse(_ s: String) -> Bool? {
    switch s {
    case "1", "t", "T", "TRUE", "true", "True": return true
    case "0", "f", "F", "FALSE", "false", "False": return false
    default: return nil
    }
  }
}
