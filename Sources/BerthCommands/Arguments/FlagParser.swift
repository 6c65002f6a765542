/// One flag of a command, pflag-style: `--long`, optional `-s` shorthand.
public struct Flag: Sendable {
  public enum Kind: Sendable {
    case bool
    /// A value; repeating it keeps every occurrence (`-e A -e B`); `last` reads the final one.
    case value(String)
  }

  public var long: String
  public var short: Character?
  public var kind: Kind
  public var help: String
  public var defaultText: String?

  public init(_ long: String, _ short: Character? = nil, _ kind: Kind = .bool, _ help: String, default d: String? = nil)
  {
    self.long = long
    self.short = short
    self.kind = kind
    self.help = help
    self.defaultText = d
  }

  public static func bool(_ long: String, _ short: Character? = nil, _ help: String) -> Flag {
    Flag(long, short, .bool, help)
  }

  public static func string(_ long: String, _ short: Character? = nil, _ help: String, default d: String? = nil)
    -> Flag
  {
    Flag(long, short, .value("string"), help, default: d)
  }

  public static func list(_ long: String, _ short: Character? = nil, _ help: String) -> Flag {
    Flag(long, short, .value("list"), help)
  }

  public static func int(_ long: String, _ short: Character? = nil, _ help: String, default d: String? = nil) -> Flag {
    Flag(long, short, .value("int"), help, default: d)
  }

  public static func typed(_ type: String, _ long: String, _ short: Character? = nil, _ help: String) -> Flag {
    Flag(long, short, .value(type), help)
  }

  var takesValue: Bool {
    if case .value = kind { return true }
    return false
  }

  var typeName: String {
    if case .value(let t) = kind { return t }
    return ""
  }

  /// pflag's name in errors: "-n, --last" or "--name".
  var errorName: String {
    if let short { return "-\(short), --\(long)" }
    return "--\(long)"
  }
}

/// What the command line said.
public struct ParsedFlags: Sendable {
  public var values: [String: [String]] = [:]
  public var bools: [String: Bool] = [:]
  public var positionals: [String] = []

  public init() {}

  public func bool(_ name: String) -> Bool { bools[name] ?? false }
  public func isSet(_ name: String) -> Bool { bools[name] != nil || values[name] != nil }
  public func string(_ name: String) -> String? { values[name]?.last }
  public func all(_ name: String) -> [String] { values[name] ?? [] }

  /// An int flag's value (validated at parse time).
  public func int(_ name: String) -> Int? { string(name).flatMap { Int($0) } }
}

/// A flag-level command line error (docker prints it with the usage line, exit 125).
public struct FlagError: Error, Equatable, CustomStringConvertible {
  public let description: String
}

/// pflag semantics as the docker CLI configures them: combined short flags (`-dit`),
/// `--flag=value`, `--flag value`, `-e=VALUE`/`-eVALUE`, `--bool=false`, `--` ends flags; with
/// `interspersed == false` the first positional ends the flags (run/create/exec).
public enum FlagParser {
  public static func parse(_ arguments: [String], flags: [Flag], interspersed: Bool) throws -> ParsedFlags {
    var result = ParsedFlags()
    var i = 0
    func lookup(long name: String) -> Flag? { flags.first(where: { $0.long == name }) }
    func lookup(short c: Character) -> Flag? { flags.first(where: { $0.short == c }) }

    func store(_ flag: Flag, _ value: String) throws {
      switch flag.kind {
      case .bool:
        guard let b = parseBool(value) else {
          throw FlagError(
            description:
              "invalid argument \"\(value)\" for \"\(flag.errorName)\" flag: strconv.ParseBool: parsing \"\(value)\": invalid syntax"
          )
        }
        result.bools[flag.long] = b
      case .value(let type):
        if type == "int" || type == "uint16" || type == "int64", Int(value) == nil {
          throw FlagError(
            description:
              "invalid argument \"\(value)\" for \"\(flag.errorName)\" flag: strconv.ParseInt: parsing \"\(value)\": invalid syntax"
          )
        }
        result.values[flag.long, default: []].append(value)
      }
    }

    while i < arguments.count {
      let arg = arguments[i]
      i += 1
      if arg == "--" {
        result.positionals += arguments[i...]
        return result
      }
      if arg.hasPrefix("--") {
        let body = arg.dropFirst(2)
        let name: String
        var inline: String?
        if let eq = body.firstIndex(of: "=") {
          name = String(body[..<eq])
          inline = String(body[body.index(after: eq)...])
        } else {
          name = String(body)
        }
        guard let flag = lookup(long: name) else { throw FlagError(description: "unknown flag: --\(name)") }
        if let inline {
          try store(flag, inline)
        } else if flag.takesValue {
          guard i < arguments.count else { throw FlagError(description: "flag needs an argument: --\(name)") }
          try store(flag, arguments[i])
          i += 1
        } else {
          try store(flag, "true")
        }
        continue
      }
      if arg.hasPrefix("-") && arg.count > 1 {
        var shorts = Substring(arg.dropFirst())
        while let c = shorts.first {
          shorts = shorts.dropFirst()
          guard let flag = lookup(short: c) else {
            throw FlagError(description: "unknown shorthand flag: '\(c)' in \(arg)")
          }
          if flag.takesValue {
            if shorts.hasPrefix("=") { shorts = shorts.dropFirst() }
            if !shorts.isEmpty {
              try store(flag, String(shorts))
            } else {
              guard i < arguments.count else {
                throw FlagError(description: "flag needs an argument: '\(c)' in -\(c)")
              }
              try store(flag, arguments[i])
              i += 1
            }
            break
          } else if shorts.hasPrefix("=") {
            try store(flag, String(shorts.dropFirst()))
            break
          } else {
            try store(flag, "true")
          }
        }
        continue
      }
      // A positional.
      result.positionals.append(arg)
      if !interspersed {
        result.positionals += arguments[i...]
        return result
      }
    }
    return result
  }

  static func parseBool(_ s: String) -> Bool? {
    switch s {
    case "1", "t", "T", "TRUE", "true", "True": true
    case "0", "f", "F", "FALSE", "false", "False": false
    default: nil
    }
  }
}
