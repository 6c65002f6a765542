/// A small runc-compatible command line parser: Go-style flags (`-flag`, `--flag`,
/// `--flag=value`, `--flag value`), boolean flags, repeated flags, positionals.
/// Hand-written because start latency matters on every container operation.
struct ParsedArguments {
  var values: [String: [String]] = [:]
  var booleans: Set<String> = []
  var positionals: [String] = []

  func value(_ name: String) -> String? { values[name]?.last }
  func all(_ name: String) -> [String] { values[name] ?? [] }
  func flag(_ name: String) -> Bool { booleans.contains(name) }
}

struct FlagSpec {
  /// Names without dashes; the first is canonical.
  var names: [String]
  var takesValue: Bool
}

enum ArgumentParser {
  /// Parses flags up to the first positional. With `stopAtPositional` the rest is returned
  /// unparsed (global flags before a verb); otherwise it becomes the positionals.
  static func parse(_ arguments: ArraySlice<String>, flags: [FlagSpec], stopAtPositional: Bool = false) throws -> (
    ParsedArguments, ArraySlice<String>
  ) {
    var result = ParsedArguments()
    var rest = arguments
    var onlyPositionals = false
    while let argument = rest.first {
      if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
        if stopAtPositional { return (result, rest) }
        // As Go's flag package: the first positional ends the flags.
        result.positionals.append(contentsOf: rest)
        return (result, [])
      }
      rest = rest.dropFirst()
      if argument == "--" {
        onlyPositionals = true
        continue
      }
      var name = String(argument.drop(while: { $0 == "-" }))
      var inlineValue: String?
      if let equals = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      guard let spec = flags.first(where: { $0.names.contains(name) }) else {
        throw UsageError("flag provided but not defined: -\(name)")
      }
      let canonical = spec.names[0]
      if spec.takesValue {
        let value: String
        if let inlineValue {
          value = inlineValue
        } else if let next = rest.first {
          value = next
          rest = rest.dropFirst()
        } else {
          throw UsageError("flag needs an argument: -\(name)")
        }
        result.values[canonical, default: []].append(value)
      } else {
        if let inlineValue, inlineValue == "false" { continue }
        result.booleans.insert(canonical)
      }
    }
    return (result, rest)
  }
}

struct UsageError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
