import EngineClient

/// The subset of Go's text/template that `--format` uses: `{{.Field.Sub}}`, `{{json .}}`,
/// `{{index .Labels "k"}}`, `{{join .Args " "}}`, pipes, `if`/`else`/`range`/`with`/`end`,
/// trim markers, and docker's helper functions (json, join, split, lower, upper, title,
/// truncate, pad, println, len, eq/ne/not/and/or). Data is a `JSON` value.
public struct GoTemplate {
  indirect enum Node {
    case text(String)
    case action(Pipeline)
    case ifBlock(Pipeline, [Node], [Node])
    case rangeBlock(Pipeline, [Node], [Node])
    case withBlock(Pipeline, [Node], [Node])
  }

  struct Pipeline {
    var commands: [[Operand]]
  }

  enum Operand {
    case field([String])  // [] = "."
    case variableField([String])  // $.A.B
    case string(String)
    case number(String)
    case bool(Bool)
    case identifier(String)
    case nested(Pipeline)
  }

  public struct TemplateError: Error, CustomStringConvertible {
    public let description: String
  }

  let nodes: [Node]

  public init(_ source: String) throws {
    var parser = TemplateParser(source: source)
    nodes = try parser.parseAll()
  }

  /// Executes the template against `data`.
  public func render(_ data: JSON) throws -> String {
    var out = ""
    try execute(nodes, dot: data, root: data, into: &out)
    return out
  }

  func execute(_ nodes: [Node], dot: JSON, root: JSON, into out: inout String) throws {
    for node in nodes {
      switch node {
      case .text(let t): out += t
      case .action(let p):
        out += GoTemplate.display(try evaluate(p, dot: dot, root: root))
      case .ifBlock(let p, let yes, let no):
        if GoTemplate.truthy(try evaluate(p, dot: dot, root: root)) {
          try execute(yes, dot: dot, root: root, into: &out)
        } else {
          try execute(no, dot: dot, root: root, into: &out)
        }
      case .withBlock(let p, let yes, let no):
        let v = try evaluate(p, dot: dot, root: root)
        if GoTemplate.truthy(v) {
          try execute(yes, dot: v, root: root, into: &out)
        } else {
          try execute(no, dot: dot, root: root, into: &out)
        }
      case .rangeBlock(let p, let body, let elseBody):
        let v = try evaluate(p, dot: dot, root: root)
        var items: [JSON] = []
        switch v {
        case .array(let a): items = a
        case .object(let members): items = members.sorted(by: { $0.key < $1.key }).map(\.value)
        default: items = []
        }
        if items.isEmpty {
          try execute(elseBody, dot: dot, root: root, into: &out)
        }
        for item in items { try execute(body, dot: item, root: root, into: &out) }
      }
    }
  }

  func evaluate(_ pipeline: Pipeline, dot: JSON, root: JSON) throws -> JSON {
    var previous: JSON?
    for command in pipeline.commands {
      previous = try evaluateCommand(command, dot: dot, root: root, piped: previous)
    }
    return previous ?? .null
  }

  func evaluateCommand(_ operands: [Operand], dot: JSON, root: JSON, piped: JSON?) throws -> JSON {
    guard let first = operands.first else { throw TemplateError(description: "empty command") }
    if case .identifier(let name) = first {
      var args = try operands.dropFirst().map { try value(of: $0, dot: dot, root: root) }
      if let piped { args.append(piped) }
      return try TemplateFunctions.call(name, args)
    }
    guard operands.count == 1, piped == nil else {
      throw TemplateError(description: "can't give argument to non-function \(operands.count)")
    }
    return try value(of: first, dot: dot, root: root)
  }

  func value(of operand: Operand, dot: JSON, root: JSON) throws -> JSON {
    switch operand {
    case .field(let path): return GoTemplate.lookup(dot, path)
    case .variableField(let path): return GoTemplate.lookup(root, path)
    case .string(let s): return .string(s)
    case .number(let n): return .number(n)
    case .bool(let b): return .bool(b)
    case .identifier(let name): return try TemplateFunctions.call(name, [])
    case .nested(let p): return try evaluate(p, dot: dot, root: root)
    }
  }

  /// Missing keys give `<no value>` when printed (Go's behaviour on maps).
  static let missing = JSON.object([JSON.Member("\u{0}missing", .null)])

  static func lookup(_ value: JSON, _ path: [String]) -> JSON {
    var current = value
    for key in path {
      guard let next = current[key] else { return missing }
      current = next
    }
    return current
  }

  /// Go's `%v` formatting of a value.
  static func display(_ value: JSON) -> String {
    if value == missing { return "<no value>" }
    switch value {
    case .null: return "<nil>"
    case .bool(let b): return b ? "true" : "false"
    case .number(let n): return n
    case .string(let s): return s
    case .array(let items): return "[" + items.map { display($0) }.joined(separator: " ") + "]"
    case .object(let members):
      return "map["
        + members.sorted(by: { $0.key < $1.key }).map { "\($0.key):\(display($0.value))" }
        .joined(separator: " ") + "]"
    }
  }

  static func truthy(_ value: JSON) -> Bool {
    if value == missing { return false }
    switch value {
    case .null: return false
    case .bool(let b): return b
    case .number(let n): return (Double(n) ?? 0) != 0
    case .string(let s): return !s.isEmpty
    case .array(let a): return !a.isEmpty
    case .object(let o): return !o.isEmpty
    }
  }
}

/// docker's template functions (cli/templates).
enum TemplateFunctions {
  static func call(_ name: String, _ args: [JSON]) throws -> JSON {
    func string(_ i: Int) -> String { i < args.count ? GoTemplate.display(args[i]) : "" }
    switch name {
    case "json":
      guard let v = args.first else { return .string("null") }
      if v == GoTemplate.missing { return .string("null") }
      return .string(v.serialized(escapeHTML: true))
    case "join":
      guard args.count == 2 else { throw arity(name) }
      let items = args[0].arrayValue?.map { GoTemplate.display($0) } ?? [GoTemplate.display(args[0])]
      return .string(items.joined(separator: string(1)))
    case "split":
      guard args.count == 2 else { throw arity(name) }
      return .array(string(0).components(separatedBy: string(1)).map { .string($0) })
    case "lower": return .string(string(0).lowercased())
    case "upper": return .string(string(0).uppercased())
    case "title":
      return .string(
        string(0).split(separator: " ", omittingEmptySubsequences: false).map {
          $0.prefix(1).uppercased() + $0.dropFirst()
        }.joined(separator: " "))
    case "println": return .string(args.map { GoTemplate.display($0) }.joined(separator: " ") + "\n")
    case "print": return .string(args.map { GoTemplate.display($0) }.joined())
    case "truncate":
      guard args.count == 2, let n = Int(string(1)) else { throw arity(name) }
      let s = string(0)
      return .string(s.unicodeScalars.count <= n ? s : String(String.UnicodeScalarView(s.unicodeScalars.prefix(n))))
    case "pad":
      guard args.count == 3, let l = Int(string(1)), let r = Int(string(2)) else { throw arity(name) }
      return .string(String(repeating: " ", count: max(0, l)) + string(0) + String(repeating: " ", count: max(0, r)))
    case "len":
      guard let v = args.first else { throw arity(name) }
      switch v {
      case .array(let a): return .int(a.count)
      case .object(let o): return .int(o.count)
      case .string(let s): return .int(s.utf8.count)
      default: throw GoTemplate.TemplateError(description: "len of \(GoTemplate.display(v))")
      }
    case "index":
      guard var current = args.first else { throw arity(name) }
      for key in args.dropFirst() {
        switch (current, key) {
        case (.object, _): current = current[GoTemplate.display(key)] ?? GoTemplate.missing
        case (.array(let a), .number(let n)):
          guard let i = Int(n), i >= 0, i < a.count else {
            throw GoTemplate.TemplateError(description: "error calling index: index out of range: \(n)")
          }
          current = a[i]
        default: current = GoTemplate.missing
        }
      }
      return current
    case "eq": return .bool(args.count >= 2 && args.dropFirst().contains { equal(args[0], $0) })
    case "ne": return .bool(args.count == 2 && !equal(args[0], args[1]))
    case "not": return .bool(!(args.first.map(GoTemplate.truthy) ?? false))
    case "and": return args.first(where: { !GoTemplate.truthy($0) }) ?? args.last ?? .null
    case "or": return args.first(where: GoTemplate.truthy) ?? args.last ?? .null
    case "printf":
      // Only %s/%v/%d/%q with plain arguments.
      var format = Array(string(0))
      var out = ""
      var argIndex = 1
      var i = 0
      while i < format.count {
        if format[i] == "%", i + 1 < format.count {
          let verb = format[i + 1]
          i += 2
          if verb == "%" {
            out += "%"
            continue
          }
          let s = string(argIndex)
          argIndex += 1
          out += verb == "q" ? "\"" + s + "\"" : s
        } else {
          out.append(format[i])
          i += 1
        }
      }
      format = []
      return .string(out)
    default:
      throw GoTemplate.TemplateError(description: "function \"\(name)\" not defined")
    }
  }

  static func equal(_ a: JSON, _ b: JSON) -> Bool {
    if case .number(let x) = a, case .number(let y) = b { return Double(x) == Double(y) }
    return GoTemplate.display(a) == GoTemplate.display(b)
  }

  static func arity(_ name: String) -> GoTemplate.TemplateError {
    GoTemplate.TemplateError(description: "wrong number of args for \(name)")
  }
}

extension String {
  /// Splits on a separator string (Go's strings.Split).
  func components(separatedBy separator: String) -> [String] {
    guard !separator.isEmpty else { return map { String($0) } }
    var parts: [String] = []
    var current = Substring(self)
    while let range = current.range(of: separator) {
      parts.append(String(current[..<range.lowerBound]))
      current = current[range.upperBound...]
    }
    parts.append(String(current))
    return parts
  }
}

extension Substring {
  func range(of needle: String) -> Range<Substring.Index>? {
    let n = Array(needle)
    guard !n.isEmpty else { return nil }
    var i = startIndex
    while i < endIndex {
      if self[i...].starts(with: n) {
        return i..<index(i, offsetBy: n.count)
      }
      i = index(after: i)
    }
    return nil
  }
}
