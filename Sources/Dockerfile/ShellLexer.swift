/// BuildKit's shell lexer (`frontend/dockerfile/shell`): variable expansion, quote removal
/// and word splitting for the instructions the builder expands. Pure: the environment is a
/// lookup function.
struct ShellLexer {
  var escape: Unicode.Scalar
  /// Keep quote characters in the output (heredoc detection needs them).
  var rawQuotes = false
  /// Keep escape characters in the output.
  var rawEscapes = false
  /// Quotes are ordinary characters (BuildKit's `SkipProcessQuotes`, for heredoc bodies).
  var skipQuotes = false
  /// An unset variable stays as written (`$EOF`), as BuildKit's `SkipUnsetEnv`.
  var skipUnset = false
  /// `<<` (or `<<-`) keeps the blanks after it in the same word (`<< EOF` is one marker).
  var heredocMarkers = false
  var lookup: (String) -> String?

  /// The whole input as one string (no splitting).
  func processWord(_ text: String) throws(ParseFailure) -> String {
    var scan = Scan(lexer: self, src: text.scalars)
    return try scan.run().0
  }

  /// The input split into words at unquoted whitespace (expansions split too unless quoted).
  func processWords(_ text: String) throws(ParseFailure) -> [String] {
    var scan = Scan(lexer: self, src: text.scalars)
    return try scan.run().1
  }

  /// Accumulates words as Go's `wordsStruct` does.
  struct Words {
    var word = Scalars()
    var words: [String] = []
    var inWord = false

    mutating func addChar(_ c: Unicode.Scalar) {
      if c.isSpace {
        if inWord && !word.isEmpty {
          words.append(String(word))
          word.removeAll()
          inWord = false
        }
      } else {
        addRawChar(c)
      }
    }
    mutating func addRawChar(_ c: Unicode.Scalar) {
      word.append(c)
      inWord = true
    }
    mutating func addString(_ s: Scalars) { for c in s { addChar(c) } }
    mutating func addRawString(_ s: Scalars) {
      word.append(contentsOf: s)
      inWord = true
    }
    mutating func finish() -> [String] {
      if !word.isEmpty { words.append(String(word)) }
      word.removeAll()
      return words
    }
  }

  struct Scan {
    let lexer: ShellLexer
    let src: Scalars
    var pos = 0
    /// Escapes kept in the output even when the lexer is not raw (patterns need them).
    var keepEscapes = false
    /// `${…}` nesting so far: bounded so a hostile word cannot exhaust the stack.
    var depth = 0
    static let maximumDepth = 64

    init(lexer: ShellLexer, src: Scalars) {
      self.lexer = lexer
      self.src = src
    }

    var peek: Unicode.Scalar? { pos < src.count ? src[pos] : nil }
    mutating func next() -> Unicode.Scalar? {
      guard pos < src.count else { return nil }
      defer { pos += 1 }
      return src[pos]
    }

    mutating func run() throws(ParseFailure) -> (String, [String]) {
      let (result, words) = try processStop(on: nil)
      return (String(result), words)
    }

    /// Reads until `stop` (consumed) or the end; an unmatched stop character is an error.
    mutating func processStop(on stop: Unicode.Scalar?) throws(ParseFailure) -> (Scalars, [String]) {
      var result = Scalars()
      var words = Words()
      var found = false
      while let c = peek {
        if let stop, c == stop {
          pos += 1
          found = true
          break
        }
        switch c {
        case "'" where !lexer.skipQuotes:
          let s = try singleQuote()
          result += s
          words.addRawString(s)
        case "\"" where !lexer.skipQuotes:
          let s = try doubleQuote()
          result += s
          words.addRawString(s)
        case "$":
          let s = try dollar()
          result += s
          words.addString(s)
        case "<" where lexer.heredocMarkers && pos + 1 < src.count && src[pos + 1] == "<":
          var marker: Scalars = ["<", "<"]
          pos += 2
          if peek == "-" {
            marker.append("-")
            pos += 1
          }
          while let b = peek, b == " " || b == "\t" {
            marker.append(b)
            pos += 1
          }
          result += marker
          words.addRawString(marker)
        default:
          pos += 1
          if c == lexer.escape {
            if lexer.rawEscapes || keepEscapes {
              words.addRawChar(c)
              result.append(c)
            }
            guard let escaped = next() else { break }
            words.addRawChar(escaped)
            result.append(escaped)
          } else {
            words.addChar(c)
            result.append(c)
          }
        }
      }
      if let stop, !found {
        throw ParseFailure("unexpected end of statement while looking for matching \(stop)")
      }
      return (result, words.finish())
    }

    mutating func singleQuote() throws(ParseFailure) -> Scalars {
      var result = Scalars()
      pos += 1
      if lexer.rawQuotes { result.append("'") }
      while true {
        guard let c = next() else {
          throw ParseFailure("unexpected end of statement while looking for matching single-quote")
        }
        if c == "'" {
          if lexer.rawQuotes { result.append(c) }
          return result
        }
        result.append(c)
      }
    }

    mutating func doubleQuote() throws(ParseFailure) -> Scalars {
      var result = Scalars()
      pos += 1
      if lexer.rawQuotes { result.append("\"") }
      while true {
        guard let c = peek else {
          throw ParseFailure("unexpected end of statement while looking for matching double-quote")
        }
        if c == "\"" {
          pos += 1
          if lexer.rawQuotes { result.append(c) }
          return result
        }
        if c == "$" {
          result += try dollar()
          continue
        }
        pos += 1
        var out = c
        if c == lexer.escape {
          if lexer.rawEscapes || keepEscapes { result.append(c) }
          guard let n = peek else { continue }
          if n == "\"" || n == "$" || n == lexer.escape {
            pos += 1
            out = n
          } else if lexer.rawEscapes || keepEscapes {
            continue
          }
        }
        result.append(out)
      }
    }

    /// `$name`, `${name}` and the `${name<modifier>word}` forms.
    mutating func dollar() throws(ParseFailure) -> Scalars {
      depth += 1
      defer { depth -= 1 }
      guard depth <= Self.maximumDepth else { throw ParseFailure("syntax error: substitutions nested too deeply") }
      let start = pos
      var unset = false
      let expanded = try expandDollar(unset: &unset)
      if lexer.skipUnset && unset { return Array(src[start..<pos]) }
      return expanded
    }

    /// `unset` tells whether this reference's own variable was unset.
    private mutating func expandDollar(unset isUnset: inout Bool) throws(ParseFailure) -> Scalars {
      pos += 1
      if peek != "{" {
        let name = readName()
        if name.isEmpty { return ["$"] }
        let value = lexer.lookup(name)
        isUnset = value == nil
        return (value ?? "").scalars
      }
      pos += 1
      guard let first = peek else { throw ParseFailure("syntax error: missing '}'") }
      if first == "{" || first == "}" || first == ":" { throw ParseFailure("syntax error: bad substitution") }
      let name = readName()
      guard var modifier = next() else { throw ParseFailure("syntax error: missing '}'") }
      var shown = String(modifier)
      let value = lexer.lookup(name)
      isUnset = value == nil
      var colon = false
      switch modifier {
      case "}":
        return (value ?? "").scalars
      case "/":
        let all = peek == "/"
        if all { pos += 1 }
        let pattern = try braceWord(until: "/", missing: "syntax error: missing '/' in ${}")
        let replacement = try braceWord(until: "}", missing: "syntax error: missing '}'")
        return try replace(value ?? "", pattern: pattern, with: replacement, all: all)
      case ":":
        colon = true
        guard let op = next() else { throw ParseFailure("syntax error: missing '}'") }
        modifier = op
        shown += String(op)
        if op == "#" || op == "%" { throw ParseFailure("unsupported modifier (\(shown)) in substitution") }
      case "+", "-", "?", "#", "%":
        break
      default:
        throw ParseFailure("unsupported modifier (\(shown)) in substitution")
      }
      let patternMode = modifier == "#" || modifier == "%"
      var word = try braceWord(until: "}", missing: "syntax error: missing '}'", keepingEscapes: patternMode)
      let unset = value == nil || (colon && value == "")
      switch modifier {
      case "-":
        return unset ? word : (value ?? "").scalars
      case "+":
        return unset ? [] : word
      case "?":
        guard let value else {
          throw ParseFailure("\(name): \(word.isEmpty ? "is not allowed to be unset" : String(word))")
        }
        if colon && value.isEmpty {
          throw ParseFailure("\(name): \(word.isEmpty ? "is not allowed to be empty" : String(word))")
        }
        return value.scalars
      case "#", "%":
        let longest = word.first == modifier
        if longest { word.removeFirst() }
        return try trim(value ?? "", pattern: word, fromStart: modifier == "#", longest: longest)
      default:
        throw ParseFailure("unsupported modifier (\(shown)) in substitution")
      }
    }

    /// The word inside `${…}` up to `stop`; patterns keep their escapes.
    private mutating func braceWord(until stop: Unicode.Scalar, missing: String, keepingEscapes: Bool = true)
      throws(ParseFailure) -> Scalars
    {
      let saved = keepEscapes
      keepEscapes = keepingEscapes
      defer { keepEscapes = saved }
      do {
        return try processStop(on: stop).0
      } catch {
        if peek == nil { throw ParseFailure(missing) }
        throw error
      }
    }

    /// A variable name: letters, digits and `_`; a run of digits; or one special parameter.
    mutating func readName() -> String {
      var name = Scalars()
      while let c = peek {
        if name.isEmpty && c.properties.numericType == .decimal {
          while let d = peek, d.properties.numericType == .decimal {
            name.append(d)
            pos += 1
          }
          return String(name)
        }
        if name.isEmpty && "*#@!?-$".unicodeScalars.contains(c) {
          pos += 1
          return String(c)
        }
        guard c.properties.isAlphabetic || c.properties.numericType == .decimal || c == "_" else { break }
        name.append(c)
        pos += 1
      }
      return String(name)
    }

    private func glob(_ pattern: Scalars) throws(ParseFailure) -> Glob {
      do {
        return try Glob(shellPattern: String(pattern))
      } catch {
        throw ParseFailure("invalid pattern (\(String(pattern))) in substitution: \(error.message)")
      }
    }

    /// `#`/`##` (prefix) and `%`/`%%` (suffix: the reversed pattern on the reversed value).
    private func trim(_ value: String, pattern: Scalars, fromStart: Bool, longest: Bool) throws(ParseFailure)
      -> Scalars
    {
      let g = try glob(pattern)
      let v = fromStart ? value.scalars : value.scalars.reversed()
      let lengths = (fromStart ? g : g.reversed).matchingPrefixLengths(of: v, firstOnly: !longest)
      guard let k = longest ? lengths.last : lengths.first else { return value.scalars }
      let rest = Array(v[k...])
      return fromStart ? rest : rest.reversed()
    }

    /// `/` and `//` with Go's `ReplaceAllString` rules: non-overlapping leftmost-longest
    /// matches, and an empty match right after a match is skipped.
    private func replace(_ value: String, pattern: Scalars, with replacement: Scalars, all: Bool)
      throws(ParseFailure) -> Scalars
    {
      let v = value.scalars
      let g = try glob(pattern)
      var out = Scalars()
      var i = 0
      var previousEnd = -1
      while i <= v.count, let m = g.leftmostLongestMatch(in: v, from: i) {
        if m.isEmpty && m.lowerBound == previousEnd {
          guard m.lowerBound < v.count else { break }
          out += v[i...m.lowerBound]
          i = m.lowerBound + 1
          continue
        }
        out += v[i..<m.lowerBound]
        out += replacement
        previousEnd = m.upperBound
        if m.isEmpty {
          if m.lowerBound < v.count { out.append(v[m.lowerBound]) }
          i = m.lowerBound + 1
        } else {
          i = m.upperBound
        }
        if !all { break }
      }
      if i < v.count { out += v[i...] }
      return out
    }
  }
}
