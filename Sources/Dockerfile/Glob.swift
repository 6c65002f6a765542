/// A compiled glob for the two places the parser matches patterns: shell-style patterns in
/// `${v#pat}` and friends (where `*` and `?` match any character), and `.dockerignore`
/// patterns (where they stop at `/` and `**` crosses directories). Matching is a
/// left-to-right simulation of the pattern's states (GlobMatching.swift): linear in the text,
/// no recursion, so no input can make it exponential or exhaust the stack.
struct Glob: Equatable, Sendable {
  enum Token: Equatable, Sendable {
    case literal(Unicode.Scalar)
    /// `?`
    case anyOne
    /// `*`
    case star
    /// `**` followed by more pattern: `(.*/)?`, zero or more whole directories.
    case directories
    /// `**` at the end: anything, slashes included.
    case everything
    case set(negated: Bool, ranges: [ClosedRange<UInt32>])
  }

  let tokens: [Token]
  /// `*`, `?` and negated sets do not match `/` (filepath.Match semantics).
  let pathAware: Bool

  /// Compiles a pattern; `\` escapes the next character. Returns nil for a malformed
  /// pattern (an unclosed `[`, an empty set, a trailing `\` in path mode), as Go's
  /// `filepath.Match` reports `ErrBadPattern`.
  init?(_ pattern: String, pathAware: Bool, escape: Unicode.Scalar = "\\") {
    let p = pattern.scalars
    var tokens: [Token] = []
    var i = 0
    while i < p.count {
      let c = p[i]
      if c == "*" {
        if pathAware && i + 1 < p.count && p[i + 1] == "*" {
          i += 2
          if i < p.count && p[i] == "/" { i += 1 }
          tokens.append(i >= p.count ? .everything : .directories)
          continue
        }
        if tokens.last != .star { tokens.append(.star) }
      } else if c == "?" {
        tokens.append(.anyOne)
      } else if c == escape || c == "\\" {
        if i + 1 < p.count {
          i += 1
          tokens.append(.literal(p[i]))
        } else if pathAware {
          return nil
        } else {
          tokens.append(.literal(c))
        }
      } else if c == "[" {
        guard let (set, next) = Self.parseSet(p, from: i + 1, escape: escape) else {
          if pathAware { return nil }
          tokens.append(.literal(c))
          i += 1
          continue
        }
        tokens.append(set)
        i = next
        continue
      } else {
        tokens.append(.literal(c))
      }
      i += 1
    }
    self.tokens = tokens
    self.pathAware = pathAware
  }

  init(tokens: [Token], pathAware: Bool) {
    self.tokens = tokens
    self.pathAware = pathAware
  }

  /// A `${v#pattern}` pattern as BuildKit reads it: `*` and `?` match any characters,
  /// `\` escapes only `*`, `?` and `\` (one before `}` or `/` is dropped), and brackets are
  /// literal.
  init(shellPattern pattern: String) throws(ParseFailure) {
    let p = pattern.scalars
    var tokens: [Token] = []
    var i = 0
    while i < p.count {
      let c = p[i]
      i += 1
      switch c {
      case "*": if tokens.last != .star { tokens.append(.star) }
      case "?": tokens.append(.anyOne)
      case "\\":
        guard i < p.count else { throw ParseFailure("invalid escape '\\'") }
        if p[i] == "}" || p[i] == "/" { continue }
        guard p[i] == "*" || p[i] == "?" || p[i] == "\\" else { throw ParseFailure("invalid escape '\\\(p[i])'") }
        tokens.append(.literal(p[i]))
        i += 1
      default: tokens.append(.literal(c))
      }
    }
    self.tokens = tokens
    pathAware = false
  }

  /// Parses `[^a-z\]]` starting after the `[`; returns the token and the index after `]`.
  /// Go's `filepath.Match` rules: `^` negates, `\` escapes, an unescaped `-` or `]` where
  /// an element is expected is malformed, a reversed range never matches.
  private static func parseSet(_ p: Scalars, from start: Int, escape: Unicode.Scalar) -> (Token, Int)? {
    var i = start
    var negated = false
    if i < p.count && p[i] == "^" {
      negated = true
      i += 1
    }
    var ranges: [ClosedRange<UInt32>] = []
    var elements = 0
    func element() -> UInt32? {
      guard i < p.count else { return nil }
      var c = p[i]
      if c == "-" || c == "]" { return nil }
      if c == "\\" || c == escape {
        i += 1
        guard i < p.count else { return nil }
        c = p[i]
      }
      i += 1
      return c.value
    }
    while true {
      guard i < p.count else { return nil }
      if p[i] == "]" && elements > 0 { break }
      guard let lo = element() else { return nil }
      var hi = lo
      if i < p.count && p[i] == "-" {
        i += 1
        guard let h = element() else { return nil }
        hi = h
      }
      elements += 1
      if lo <= hi { ranges.append(lo...hi) }
    }
    return (.set(negated: negated, ranges: ranges), i + 1)
  }
}
