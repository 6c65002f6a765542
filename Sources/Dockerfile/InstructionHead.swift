/// An instruction line cut into its keyword, its leading `--flags` and the rest, as
/// BuildKit's `splitCommand` and `extractBuilderFlags` do.
struct InstructionHead: Equatable {
  /// The keyword as written (`run`, `Run`, `RUN` …).
  var keyword: String
  /// Each flag as written without quotes: `--mount=type=cache,target=/x`.
  var flags: [String]
  /// The arguments after the flags, whitespace-trimmed.
  var rest: String

  init(line: String) {
    let (first, remainder) = line.splitFirstWord()
    keyword = first
    guard let remainder else {
      flags = []
      rest = ""
      return
    }
    let (r, f) = Self.extractFlags(remainder)
    flags = f
    rest = r.trimmingSpace()
  }

  /// Leading words that start with `--`; quotes inside them are removed and `\` escapes the
  /// next character. A bare `--` ends the flags.
  static func extractFlags(_ line: String) -> (String, [String]) {
    let s = line.scalars
    var words: [String] = []
    var word = Scalars()
    var blankOK = false
    var i = 0
    enum Phase { case spaces, word, quote }
    var phase = Phase.spaces
    var quote: Unicode.Scalar = "\""
    func isDashDash(_ w: Scalars) -> Bool { w == ["-", "-"] }
    while true {
      if phase == .spaces {
        if i == s.count { break }
        if s[i].isSpace {
          i += 1
          continue
        }
        if s[i] != "-" || i + 1 == s.count || s[i + 1] != "-" { return (String(s[i...]), words) }
        phase = .word
      }
      if i == s.count {
        if !isDashDash(word) && (blankOK || !word.isEmpty) { words.append(String(word)) }
        break
      }
      let c = s[i]
      if phase == .word {
        if c.isSpace {
          phase = .spaces
          if isDashDash(word) { return (String(s[i...]), words) }
          if blankOK || !word.isEmpty { words.append(String(word)) }
          word.removeAll()
          blankOK = false
          i += 1
          continue
        }
        if c == "'" || c == "\"" {
          quote = c
          blankOK = true
          phase = .quote
          i += 1
          continue
        }
        if c == "\\" {
          if i + 1 == s.count {
            i += 1
            continue
          }
          i += 1
        }
        word.append(s[i])
        i += 1
        continue
      }
      // In quotes.
      if c == quote {
        phase = .word
        i += 1
        continue
      }
      if c == "\\" {
        if i + 1 == s.count {
          phase = .word
          i += 1
          continue
        }
        i += 1
      }
      word.append(s[i])
      i += 1
    }
    return ("", words)
  }
}
