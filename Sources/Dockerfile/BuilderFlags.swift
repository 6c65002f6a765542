/// Parses an instruction's `--flags` against the set it accepts, like BuildKit's `BFlags`:
/// unknown flags, missing values, bad booleans and repeated single flags are errors.
struct BuilderFlags {
  enum Kind { case bool, string, strings }

  private let accepted: [String: Kind]
  private(set) var bools: [String: Bool] = [:]
  private(set) var strings: [String: String] = [:]
  private(set) var lists: [String: [String]] = [:]

  init(_ written: [String], accepting accepted: [String: Kind]) throws(ParseFailure) {
    self.accepted = accepted
    var used: Set<String> = []
    for arg in written {
      guard arg.hasPrefix("--") else { throw ParseFailure("arg should start with -- : \(arg)") }
      if arg == "--" { break }
      let body = arg.dropFirst(2)
      var name = String(body)
      var value: String? = nil
      if let eq = body.firstIndex(of: "=") {
        name = String(body[..<eq])
        value = String(body[body.index(after: eq)...])
      }
      guard let kind = accepted[name] else { throw ParseFailure("unknown flag: --\(name)") }
      if used.contains(name) && kind != .strings { throw ParseFailure("duplicate flag specified: \(name)") }
      used.insert(name)
      switch kind {
      case .bool:
        if value == "" { throw ParseFailure("missing a value on flag: \(name)") }
        switch value?.lowercased() {
        case nil, "true": bools[name] = true
        case "false": bools[name] = false
        default: throw ParseFailure("expecting boolean value for flag \(name), not: \(value ?? "")")
        }
      case .string:
        guard let value else { throw ParseFailure("missing a value on flag: \(name)") }
        strings[name] = value
      case .strings:
        guard let value else { throw ParseFailure("missing a value on flag: \(name)") }
        lists[name, default: []].append(value)
      }
    }
  }

  func bool(_ name: String) -> Bool? { bools[name] }
  func string(_ name: String) -> String? { strings[name] }
  func list(_ name: String) -> [String] { lists[name] ?? [] }
}
