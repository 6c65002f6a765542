/// Parses the Go text/template subset of `GoTemplate`.
struct TemplateParser {
  enum Piece {
    case text(String)
    case action(String)
  }

  enum Token: Equatable {
    case field([String])
    case variableField([String])
    case identifier(String)
    case string(String)
    case number(String)
    case pipe
    case open
    case close
  }

  let source: String
  var pieces: [Piece] = []
  var position = 0

  init(source: String) { self.source = source }

  func error(_ message: String) -> GoTemplate.TemplateError {
    GoTemplate.TemplateError(description: "template: :1: \(message)")
  }

  mutating func parseAll() throws -> [GoTemplate.Node] {
    pieces = try split(source)
    position = 0
    let (nodes, terminator) = try parseNodes()
    if let terminator { throw error("unexpected {{\(terminator)}}") }
    return nodes
  }

  /// Text and `{{ }}` actions, with `{{-` / `-}}` trimming applied.
  func split(_ source: String) throws -> [Piece] {
    var pieces: [Piece] = []
    var rest = Substring(source)
    var trimNextText = false
    while !rest.isEmpty {
      guard let open = rest.range(of: "{{") else {
        var text = String(rest)
        if trimNextText { text = String(text.drop(while: \.isWhitespace)) }
        pieces.append(.text(text))
        break
      }
      var text = String(rest[..<open.lowerBound])
      if trimNextText { text = String(text.drop(while: \.isWhitespace)) }
      var inner = rest[open.upperBound...]
      var trimLeft = false
      if inner.hasPrefix("- ") || inner.hasPrefix("-\t") || inner.hasPrefix("-\n") {
        trimLeft = true
        inner = inner.dropFirst()
      }
      if trimLeft { text = String(text.reversed().drop(while: \.isWhitespace).reversed()) }
      if !text.isEmpty { pieces.append(.text(text)) }
      // Find the closing braces outside of quotes.
      var index = inner.startIndex
      var quote: Character?
      var closeRange: Range<Substring.Index>?
      while index < inner.endIndex {
        let c = inner[index]
        if let q = quote {
          if c == "\\" && q == "\"" {
            index = inner.index(after: index)
          } else if c == q {
            quote = nil
          }
        } else if c == "\"" || c == "`" {
          quote = c
        } else if inner[index...].hasPrefix("}}") {
          closeRange = index..<inner.index(index, offsetBy: 2)
          break
        }
        if index < inner.endIndex { index = inner.index(after: index) }
      }
      guard let close = closeRange else { throw error("unclosed action") }
      var body = inner[..<close.lowerBound]
      trimNextText = false
      if body.hasSuffix(" -") || body.hasSuffix("\t-") || body.hasSuffix("\n-") {
        trimNextText = true
        body = body.dropLast()
      }
      pieces.append(.action(body.trimmedSpaces()))
      rest = inner[close.upperBound...]
    }
    return pieces
  }

  /// Parses nodes until `end`/`else` (returned as the terminator) or the end.
  mutating func parseNodes() throws -> ([GoTemplate.Node], String?) {
    var nodes: [GoTemplate.Node] = []
    while position < pieces.count {
      let piece = pieces[position]
      position += 1
      switch piece {
      case .text(let t): nodes.append(.text(t))
      case .action(let a):
        if a.hasPrefix("/*") { continue }
        let word = a.prefix(while: { !$0.isWhitespace })
        switch word {
        case "end": return (nodes, "end")
        case "else":
          let rest = a.dropFirst(4).trimmedSpaces()
          return (nodes, rest.isEmpty ? "else" : "else " + rest)
        case "if", "range", "with":
          let pipeline = try parsePipeline(String(a.dropFirst(word.count)))
          nodes.append(try parseBlock(String(word), pipeline))
        default:
          nodes.append(.action(try parsePipeline(a)))
        }
      }
    }
    return (nodes, nil)
  }

  mutating func parseBlock(_ kind: String, _ pipeline: GoTemplate.Pipeline) throws -> GoTemplate.Node {
    let (body, terminator) = try parseNodes()
    var elseBody: [GoTemplate.Node] = []
    switch terminator {
    case "end": break
    case "else":
      let (e, t) = try parseNodes()
      guard t == "end" else { throw error("expected end after else") }
      elseBody = e
    case .some(let t) where t.hasPrefix("else if "):
      let inner = try parsePipeline(String(t.dropFirst("else if ".count)))
      elseBody = [try parseBlock("if", inner)]
    default:
      throw error("unexpected EOF in \(kind)")
    }
    switch kind {
    case "if": return .ifBlock(pipeline, body, elseBody)
    case "range": return .rangeBlock(pipeline, body, elseBody)
    default: return .withBlock(pipeline, body, elseBody)
    }
  }

  func parsePipeline(_ text: String) throws -> GoTemplate.Pipeline {
    var tokens = try tokenize(text)[...]
    let p = try pipeline(&tokens)
    guard tokens.isEmpty else { throw error("unexpected \")\" in operand") }
    return p
  }

  func pipeline(_ tokens: inout ArraySlice<Token>) throws -> GoTemplate.Pipeline {
    var commands: [[GoTemplate.Operand]] = []
    var current: [GoTemplate.Operand] = []
    while let token = tokens.first {
      tokens = tokens.dropFirst()
      switch token {
      case .pipe:
        guard !current.isEmpty else { throw error("missing command before |") }
        commands.append(current)
        current = []
      case .open:
        current.append(.nested(try pipeline(&tokens)))
        guard tokens.first == .close else { throw error("unclosed left paren") }
        tokens = tokens.dropFirst()
      case .close:
        tokens = [.close] + tokens
        if !current.isEmpty { commands.append(current) }
        return GoTemplate.Pipeline(commands: commands)
      case .field(let p): current.append(.field(p))
      case .variableField(let p): current.append(.variableField(p))
      case .string(let s): current.append(.string(s))
      case .number(let n): current.append(.number(n))
      case .identifier(let name):
        if name == "true" || name == "false" {
          current.append(.bool(name == "true"))
        } else if name == "nil" {
          current.append(.field(["\u{0}nil"]))
        } else {
          current.append(.identifier(name))
        }
      }
    }
    if !current.isEmpty { commands.append(current) }
    guard !commands.isEmpty else { throw error("missing value for command") }
    return GoTemplate.Pipeline(commands: commands)
  }

  func tokenize(_ text: String) throws -> [Token] {
    var tokens: [Token] = []
    let chars = Array(text)
    var i = 0
    func fieldPath(from start: Int) -> ([String], Int) {
      var j = start
      var path: [String] = []
      while j < chars.count, chars[j] == "." {
        j += 1
        var name = ""
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" {
          name.append(chars[j])
          j += 1
        }
        if !name.isEmpty { path.append(name) }
      }
      return (path, j)
    }
    while i < chars.count {
      let c = chars[i]
      if c.isWhitespace {
        i += 1
      } else if c == "|" {
        tokens.append(.pipe)
        i += 1
      } else if c == "(" {
        tokens.append(.open)
        i += 1
      } else if c == ")" {
        tokens.append(.close)
        i += 1
      } else if c == "." {
        let (path, j) = fieldPath(from: i)
        tokens.append(.field(path))
        i = j
      } else if c == "$" {
        let (path, j) = fieldPath(from: i + 1)
        tokens.append(.variableField(path))
        i = j
      } else if c == "\"" {
        var s = ""
        i += 1
        while i < chars.count, chars[i] != "\"" {
          if chars[i] == "\\", i + 1 < chars.count {
            i += 1
            switch chars[i] {
            case "n": s.append("\n")
            case "t": s.append("\t")
            default: s.append(chars[i])
            }
          } else {
            s.append(chars[i])
          }
          i += 1
        }
        guard i < chars.count else { throw error("unterminated quoted string") }
        i += 1
        tokens.append(.string(s))
      } else if c == "`" {
        var s = ""
        i += 1
        while i < chars.count, chars[i] != "`" {
          s.append(chars[i])
          i += 1
        }
        guard i < chars.count else { throw error("unterminated raw quoted string") }
        i += 1
        tokens.append(.string(s))
      } else if c.isNumber || c == "-" {
        var s = ""
        while i < chars.count, chars[i].isNumber || chars[i] == "-" || chars[i] == "." {
          s.append(chars[i])
          i += 1
        }
        tokens.append(.number(s))
      } else if c.isLetter || c == "_" {
        var s = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
          s.append(chars[i])
          i += 1
        }
        tokens.append(.identifier(s))
      } else {
        throw error("unexpected \"\(c)\" in command")
      }
    }
    return tokens
  }
}

extension StringProtocol {
  func trimmedSpaces() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }
}
