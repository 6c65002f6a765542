/// How many positional arguments a command takes.
public enum ArgumentRule: Sendable {
  case none
  case exactly(Int)
  case atLeast(Int)
  case range(Int, Int)
  case any
}

/// A command's name, usage and flags (what `--help` prints and the parser needs).
public struct CommandSpec: Sendable {
  /// Full path without the program name: "run", "image ls", "volume create".
  public var path: String
  /// Usage after the path: "[OPTIONS] IMAGE [COMMAND] [ARG...]".
  public var usage: String
  public var summary: String
  public var aliases: [String]
  public var flags: [Flag]
  public var interspersed: Bool
  public var arguments: ArgumentRule

  public init(
    _ path: String, usage: String, summary: String, aliases: [String] = [], flags: [Flag] = [],
    interspersed: Bool = true, arguments: ArgumentRule = .any
  ) {
    self.path = path
    self.usage = usage
    self.summary = summary
    self.aliases = aliases
    self.flags = flags
    self.interspersed = interspersed
    self.arguments = arguments
  }

  public var usageLine: String { "Usage:  berth \(path) \(usage)" }

  /// Parses the arguments after the command name, then checks the argument count.
  public func parse(_ arguments: [String]) throws -> ParsedFlags {
    let parsed: ParsedFlags
    do {
      parsed = try FlagParser.parse(
        arguments, flags: flags + [.bool("help", nil, "Print usage")], interspersed: interspersed)
    } catch let error as FlagError {
      throw CommandError.flag(error.description, self)
    }
    if parsed.bool("help") { throw CommandError.help(self) }
    let n = parsed.positionals.count
    let who = "'berth \(path)'"
    switch self.arguments {
    case .none where n > 0: throw CommandError.arguments("\(who) accepts no arguments", self)
    case .exactly(let k) where n != k:
      throw CommandError.arguments("\(who) requires \(k) argument\(k == 1 ? "" : "s")", self)
    case .atLeast(let k) where n < k:
      throw CommandError.arguments("\(who) requires at least \(k) argument\(k == 1 ? "" : "s")", self)
    case .range(let a, let b) where n < a || n > b:
      throw CommandError.arguments("\(who) requires at least \(a) and at most \(b) arguments", self)
    default: break
    }
    return parsed
  }

  /// `berth COMMAND --help`.
  public func helpText() -> String {
    var text = "\n\(usageLine)\n\n\(summary)\n"
    if !aliases.isEmpty {
      text += "\nAliases:\n  " + aliases.map { "berth \($0)" }.joined(separator: ", ") + "\n"
    }
    let visible = flags
    if !visible.isEmpty {
      text += "\nOptions:\n"
      var rows: [(String, String)] = []
      for flag in visible {
        var left = flag.short.map { "  -\($0), " } ?? "      "
        left += "--\(flag.long)"
        if flag.takesValue { left += " \(flag.typeName)" }
        var help = flag.help
        if let d = flag.defaultText { help += " (default \(d))" }
        rows.append((left, help))
      }
      let width = (rows.map { $0.0.count }.max() ?? 0) + 3
      for (left, help) in rows {
        text += left + String(repeating: " ", count: width - left.count) + help + "\n"
      }
    }
    return text
  }
}

/// How a command ends other than normally.
public enum CommandError: Error {
  /// A flag problem: message + usage, exit 125.
  case flag(String, CommandSpec)
  /// Wrong number of arguments: message + usage, exit 1.
  case arguments(String, CommandSpec)
  /// `--help`: print help, exit 0.
  case help(CommandSpec)
  /// A failure: message on stderr, exit 1.
  case failure(String)
  /// A failure with a specific exit code (run/create: 125, 126, 127).
  case status(String, Int32)
  /// Exit silently with this code.
  case exit(Int32)
}
