/// One instruction after line handling: continuation lines joined, comment lines inside it
/// dropped, heredoc bodies read.
struct LogicalLine: Equatable {
  var text: String
  var startLine: Int
  var endLine: Int
  var heredocs: [Heredoc]
  var source: String
}

/// Splits a Dockerfile into logical lines the way BuildKit's `parser.Parse` does:
///
/// - parser directives are recognised only before the first other line;
/// - leading whitespace of an instruction's first line is ignored, `#` lines are comments
///   (also between continuation lines, where blank lines are skipped with a warning);
/// - a line ending in the escape character (optionally followed by blanks) continues;
/// - RUN, COPY and ADD (also as ONBUILD triggers) in shell form read their heredoc bodies.
struct Lexer {
  var fileName = "Dockerfile"

  struct Output {
    var directives: Directives
    var lines: [LogicalLine]
    var warnings: [DockerfileWarning]
  }

  func lex(_ text: String) throws(DockerfileError) -> Output {
    var physical = Self.physicalLines(text)
    if let first = physical.first, first.unicodeScalars.first == "\u{FEFF}" {
      physical[0] = String(first.unicodeScalars.dropFirst())
    }
    var scanner = DirectiveScanner()
    var lines: [LogicalLine] = []
    var warnings: [DockerfileWarning] = []
    var i = 0
    while i < physical.count {
      let lineNumber = i + 1
      let token = Self.trimNewline(physical[i]).trimmingLeadingWhitespaceOnly()
      do {
        _ = try scanner.feed(token)
      } catch {
        throw DockerfileError(line: lineNumber, message: error.message, fileName: fileName)
      }
      let escape = scanner.directives.escape.unicodeScalars.first ?? "\\"
      i += 1
      let content = Self.isComment(token) ? "" : token
      var (line, ended) = Self.trimContinuation(content, escape: escape)
      if ended && line.isEmpty { continue }
      var sawEmptyContinuation = false
      while !ended && i < physical.count {
        let next = Self.trimNewline(physical[i])
        i += 1
        if Self.isComment(next) { continue }
        if next.trimmingLeadingWhitespaceOnly().isEmpty {
          sawEmptyContinuation = true
          continue
        }
        let (part, end) = Self.trimContinuation(next, escape: escape)
        line += part
        ended = end
      }
      if sawEmptyContinuation {
        warnings.append(
          DockerfileWarning(
            line: i,
            message: "Empty continuation line found in: \(line.trimmingSpace()) "
              + "(empty continuation lines will become errors in a future release)"))
      }
      if !ended {
        warnings.append(DockerfileWarning(line: i, message: "line continuation at end of file"))
      }
      var heredocs: [Heredoc] = []
      if line.contains("<<") && Self.canContainHeredoc(line) {
        for var doc in Heredoc.headers(inLine: line) {
          var body = ""
          var terminated = false
          while i < physical.count {
            let raw = physical[i]
            i += 1
            var candidate = Self.trimNewline(raw)
            if doc.chomp { candidate = String(candidate.unicodeScalars.drop(while: { $0 == "\t" })) }
            if candidate == doc.name {
              terminated = true
              break
            }
            body += raw + "\n"
          }
          if !terminated {
            throw DockerfileError(
              line: lineNumber, endLine: i, message: "unterminated heredoc \(doc.name)", fileName: fileName)
          }
          doc.content = doc.chomp ? Heredoc.stripLeadingTabs(body) : body
          heredocs.append(doc)
        }
      }
      lines.append(
        LogicalLine(
          text: line.trimmingSpace(), startLine: lineNumber, endLine: i, heredocs: heredocs,
          source: physical[(lineNumber - 1)..<i].joined(separator: "\n")))
    }
    return Output(directives: scanner.directives, lines: lines, warnings: warnings)
  }

  /// Lines as Go's `bufio.ScanLines` yields them: split at `\n`, one trailing `\r` dropped,
  /// no empty last line after a final newline.
  static func physicalLines(_ text: String) -> [String] {
    var parts = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { slice -> String in
      var bytes = Array(slice)
      if bytes.last == 0x0D { bytes.removeLast() }
      return String(decoding: bytes, as: UTF8.self)
    }
    if parts.last == "" { parts.removeLast() }
    return parts
  }

  static func trimNewline(_ s: String) -> String {
    var scalars = s.scalars
    while let last = scalars.last, last == "\r" || last == "\n" { scalars.removeLast() }
    return String(scalars)
  }

  static func isComment(_ s: String) -> Bool {
    s.trimmingLeadingWhitespaceOnly().unicodeScalars.first == "#"
  }

  /// `([^\\])?\\[ \t]*$`: a trailing escape (blanks after it allowed) continues the line.
  static func trimContinuation(_ s: String, escape: Unicode.Scalar) -> (String, Bool) {
    var scalars = s.scalars
    var end = scalars.count
    while end > 0 && (scalars[end - 1] == " " || scalars[end - 1] == "\t") { end -= 1 }
    guard end > 0, scalars[end - 1] == escape else { return (s, true) }
    scalars.removeSubrange((end - 1)...)
    return (String(scalars), false)
  }

  /// RUN, COPY and ADD (directly or as an ONBUILD trigger) in shell form.
  static func canContainHeredoc(_ line: String) -> Bool {
    var head = InstructionHead(line: line)
    if head.keyword.lowercased() == "onbuild" {
      head = InstructionHead(line: head.rest)
    }
    guard ["run", "copy", "add"].contains(head.keyword.lowercased()) else { return false }
    return JSONArray.parse(head.rest) == .notJSON
  }
}

extension String {
  /// BuildKit's `trimLeadingWhitespace`: spaces and tabs only.
  func trimmingLeadingWhitespaceOnly() -> String {
    String(unicodeScalars.drop(while: { $0 == " " || $0 == "\t" }))
  }
}
