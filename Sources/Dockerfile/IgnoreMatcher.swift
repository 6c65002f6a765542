/// The `.dockerignore` rules (moby/patternmatcher): one pattern a line, `#` lines are
/// comments, patterns are cleaned (`./a/` → `a`, a leading `/` dropped) and use Go's
/// `filepath.Match` syntax plus `**` for any number of directories. A pattern also matches
/// everything below a matching directory. `!pattern` re-includes; the last pattern that
/// matches decides.
public struct IgnoreMatcher: Equatable, Sendable {
  public struct Pattern: Equatable, Sendable {
    /// The cleaned pattern, without `!`.
    public var text: String
    /// `!pattern`: an exception that re-includes.
    public var isException: Bool
    let glob: Glob
  }

  public private(set) var patterns: [Pattern]

  /// True when some pattern is an exception (so excluded directories may need walking).
  public var hasExceptions: Bool { patterns.contains { $0.isException } }

  /// Compiles patterns (one per element, as read from the file's lines). Throws for `!`
  /// alone and for malformed patterns (Go's "syntax error in pattern").
  public init(patterns lines: [String]) throws(IgnorePatternError) {
    var compiled: [Pattern] = []
    for line in lines {
      var p = line.trimmingSpace()
      if p.isEmpty { continue }
      var exception = false
      if p.hasPrefix("!") {
        exception = true
        p = String(p.dropFirst()).trimmingSpace()
        if p.isEmpty { throw IgnorePatternError(pattern: line, message: "illegal exclusion pattern: \"!\"") }
      }
      p = PathClean.clean(p)
      if p.count > 1 && p.hasPrefix("/") { p = String(p.dropFirst()) }
      guard let glob = Glob(p, pathAware: true) else {
        throw IgnorePatternError(pattern: line, message: "syntax error in pattern")
      }
      compiled.append(Pattern(text: p, isException: exception, glob: glob))
    }
    patterns = compiled
  }

  /// Reads a `.dockerignore` file's text: lines starting with `#` are comments (no
  /// continuation lines), a UTF-8 BOM is ignored.
  public init(fileContents: String) throws(IgnorePatternError) {
    var lines: [String] = []
    for (n, line) in Lexer.physicalLines(fileContents).enumerated() {
      var l = line
      if n == 0, l.unicodeScalars.first == "\u{FEFF}" { l = String(l.unicodeScalars.dropFirst()) }
      if l.hasPrefix("#") { continue }
      lines.append(l)
    }
    try self.init(patterns: lines)
  }

  /// True when `path` (relative to the context root, `/`-separated) is excluded from the
  /// context: the last pattern matching it or one of its parent directories decides.
  public func matches(path: String) -> Bool {
    let p = Self.normalize(path)
    var excluded = false
    for pattern in patterns where pattern.isException == excluded {
      if pattern.glob.matchesPathOrParent(p) { excluded = !pattern.isException }
    }
    return excluded
  }

  /// True when the directory at `path` is excluded and no exception could re-include
  /// anything below it, so a context walker may skip it entirely. An excluded directory
  /// with an exception inside (`dir` then `!dir/keep`, or `!**/keep`) must still be walked.
  public func canSkipDirectory(path: String) -> Bool {
    guard matches(path: path) else { return false }
    let p = Self.normalize(path)
    return !patterns.contains { $0.isException && $0.glob.couldMatchInside(p) }
  }

  static func normalize(_ path: String) -> String {
    var p = PathClean.clean(path)
    while p.hasPrefix("/") { p.removeFirst() }
    return p.isEmpty ? "." : p
  }
}

/// A `.dockerignore` pattern that cannot be compiled.
public struct IgnorePatternError: Error, Equatable, Sendable, CustomStringConvertible {
  public var pattern: String
  public var message: String
  public var description: String { "\(message): \(pattern)" }
}

/// Which ignore file applies to a build.
public enum IgnoreFile {
  /// The candidate files in order of preference: `<Dockerfile path>.dockerignore` (next to
  /// the Dockerfile, e.g. `build/api.Dockerfile.dockerignore` for `-f build/api.Dockerfile`)
  /// beats the context root's `.dockerignore`. The first is relative to wherever
  /// `dockerfilePath` is; the second to the context root.
  public static func candidates(dockerfilePath: String) -> [String] {
    let cleaned = PathClean.clean(dockerfilePath)
    guard cleaned != ".", cleaned != "/", !dockerfilePath.hasSuffix("/") else { return [".dockerignore"] }
    return [cleaned + ".dockerignore", ".dockerignore"]
  }

  /// The first candidate for which `exists` says yes, or nil when neither file exists.
  public static func pick(dockerfilePath: String, exists: (String) -> Bool) -> String? {
    candidates(dockerfilePath: dockerfilePath).first(where: exists)
  }
}
