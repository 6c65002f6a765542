/// A here-document attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`).
public struct Heredoc: Equatable, Sendable {
  /// The delimiter word with quotes removed (`EOF`).
  public var name: String
  /// The body: every line up to the delimiter, each ending in `\n`; with `<<-`, leading
  /// tabs are already stripped from each line.
  public var content: String
  /// False when any part of the delimiter was quoted: the body is then not expanded
  /// (COPY) — for RUN the shell decides.
  public var expand: Bool
  /// `<<-`: leading tabs stripped (from the body and before the closing delimiter).
  public var chomp: Bool
  /// The file descriptor in `3<<EOF`, if written.
  public var fileDescriptor: Int?

  public init(name: String, content: String, expand: Bool = true, chomp: Bool = false, fileDescriptor: Int? = nil) {
    self.name = name
    self.content = content
    self.expand = expand
    self.chomp = chomp
    self.fileDescriptor = fileDescriptor
  }

  /// BuildKit's `^(\d*)<<(-?)\s*([^<]*)$` on one shell word, then the delimiter's quote
  /// removal (`<<"EOF"`, `<<E'O'F` and `<<'one two'` are quoted: no expansion; `<<$EOF` is
  /// named `$EOF`). Returns nil when the word is not a heredoc marker.
  static func header(_ word: String) -> Heredoc? {
    let s = word.scalars
    var i = 0
    while i < s.count && s[i].isASCIIDigit { i += 1 }
    let digits = String(s[0..<i])
    guard i + 1 < s.count, s[i] == "<", s[i + 1] == "<" else { return nil }
    i += 2
    var chomp = false
    if i < s.count && s[i] == "-" {
      chomp = true
      i += 1
    }
    while i < s.count && s[i].isSpace { i += 1 }
    let rest = String(s[i...])
    guard !rest.isEmpty, !rest.unicodeScalars.contains("<") else { return nil }
    var plain = ShellLexer(escape: "\\", lookup: { _ in nil })
    plain.skipUnset = true
    var raw = plain
    raw.rawQuotes = true
    guard let words = try? plain.processWords(rest), words.count == 1,  // Not a single word: not a heredoc.
      let rawWords = try? raw.processWords(rest), rawWords.count == 1
    else { return nil }
    func quotes(_ w: String) -> Int { w.unicodeScalars.filter { $0 == "'" || $0 == "\"" }.count }
    return Heredoc(
      name: words[0], content: "", expand: quotes(words[0]) == quotes(rawWords[0]), chomp: chomp,
      fileDescriptor: digits.isEmpty ? nil : Int(digits))
  }

  /// The heredoc markers of an instruction line, in order (BuildKit lexes the line keeping
  /// quotes, escapes and unset variables, with `<< EOF` as one word).
  static func headers(inLine line: String) -> [Heredoc] {
    var lexer = ShellLexer(escape: "\\", lookup: { _ in nil })
    lexer.rawQuotes = true
    lexer.rawEscapes = true
    lexer.skipUnset = true
    lexer.heredocMarkers = true
    // An unterminated quote only means there is no heredoc to find.
    guard let words = try? lexer.processWords(line) else { return [] }
    return words.compactMap(header)
  }

  /// `<<-` tab stripping: removes the leading tabs of every line.
  static func stripLeadingTabs(_ text: String) -> String {
    var out = Scalars()
    var atLineStart = true
    for c in text.unicodeScalars {
      if atLineStart && c == "\t" { continue }
      atLineStart = c == "\n"
      out.append(c)
    }
    return String(out)
  }
}
