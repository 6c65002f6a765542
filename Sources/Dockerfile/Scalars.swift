/// Text handled as Unicode scalars (Go's runes): Swift's `Character` would merge `\r\n`
/// and combining marks, which BuildKit's byte-oriented lexers never do.
typealias Scalars = [Unicode.Scalar]

extension Unicode.Scalar {
  /// Go's `unicode.IsSpace`.
  var isSpace: Bool {
    switch value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
    default: return value > 0xFF && properties.isWhitespace
    }
  }

  /// Go's `reWhitespace` (`[\t\v\f\r ]+`), the separator of whitespace-delimited arguments.
  var isBlank: Bool { value == 0x20 || value == 0x09 || value == 0x0B || value == 0x0C || value == 0x0D }

  var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
  var isASCIILetter: Bool { (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) }
}

extension String {
  var scalars: Scalars { Array(unicodeScalars) }

  init(_ scalars: Scalars) {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    self = String(view)
  }

  init(_ scalars: ArraySlice<Unicode.Scalar>) {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    self = String(view)
  }

  /// Go's `strings.TrimSpace`.
  func trimmingSpace() -> String {
    let s = scalars
    var start = 0
    var end = s.count
    while start < end && s[start].isSpace { start += 1 }
    while end > start && s[end - 1].isSpace { end -= 1 }
    return String(s[start..<end])
  }

  /// Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`.
  func trimmingLeadingSpace() -> String {
    let s = scalars
    var start = 0
    while start < s.count && s[start].isSpace { start += 1 }
    return String(s[start...])
  }

  /// Splits on runs of blanks (Go's `reWhitespace.Split` after trimming).
  func splitOnBlanks() -> [String] {
    var words: [String] = []
    var current = Scalars()
    for c in trimmingSpace().unicodeScalars {
      if c.isBlank {
        if !current.isEmpty { words.append(String(current)) }
        current.removeAll()
      } else {
        current.append(c)
      }
    }
    if !current.isEmpty { words.append(String(current)) }
    return words
  }

  /// Splits once at the first run of blanks: (first word, rest without leading blanks).
  func splitFirstWord() -> (String, String?) {
    let s = trimmingSpace().scalars
    guard let i = s.firstIndex(where: { $0.isBlank }) else { return (String(s), nil) }
    var j = i
    while j < s.count && s[j].isBlank { j += 1 }
    return (String(s[..<i]), String(s[j...]))
  }
}
