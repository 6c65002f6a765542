/// Turns one logical line into a typed instruction, validating its flags and arguments
/// with BuildKit's rules and messages.
struct InstructionParser {
  let escape: Unicode.Scalar

  /// `location` is the instruction's own (an ONBUILD trigger shares its lines).
  func parse(_ text: String, heredocs: [Heredoc], location: SourceSpan) throws(ParseFailure) -> InstructionKind {
    let head = InstructionHead(line: text)
    let name = head.keyword.uppercased()
    let rest = head.rest
    func flags(_ accepted: [String: BuilderFlags.Kind]) throws(ParseFailure) -> BuilderFlags {
      try BuilderFlags(head.flags, accepting: accepted)
    }
    switch name {
    case "FROM":
      return .from(try parseFrom(rest, flags: try flags(["platform": .string])))
    case "RUN":
      let f = try flags(["mount": .strings, "network": .string, "security": .string, "device": .strings])
      return .run(try parseRun(rest, heredocs: heredocs, flags: f))
    case "CMD", "ENTRYPOINT":
      _ = try flags([:])
      let form = try commandForm(rest, name: name)
      return name == "CMD" ? .cmd(form) : .entrypoint(form)
    case "COPY":
      let f = try flags([
        "from": .string, "chown": .string, "chmod": .string, "link": .bool, "parents": .bool, "exclude": .strings,
      ])
      let (sources, dest, json) = try sourcesAndDestination(rest, heredocs: heredocs, name: name)
      return .copy(
        CopyInstruction(
          sources: sources, destination: dest, from: f.string("from"), chown: f.string("chown"),
          chmod: f.string("chmod"), link: f.bool("link") ?? false, parents: f.bool("parents") ?? false,
          excludes: f.list("exclude"), isJSONForm: json))
    case "ADD":
      let f = try flags([
        "chown": .string, "chmod": .string, "link": .bool, "keep-git-dir": .bool, "checksum": .string,
        "unpack": .bool, "exclude": .strings,
      ])
      let (sources, dest, json) = try sourcesAndDestination(rest, heredocs: heredocs, name: name)
      return .add(
        AddInstruction(
          sources: sources, destination: dest, chown: f.string("chown"), chmod: f.string("chmod"),
          link: f.bool("link") ?? false, keepGitDir: f.bool("keep-git-dir"), checksum: f.string("checksum"),
          unpack: f.bool("unpack"), excludes: f.list("exclude"), isJSONForm: json))
    case "WORKDIR", "USER", "STOPSIGNAL", "MAINTAINER":
      _ = try flags([:])
      guard !rest.isEmpty else { throw ParseFailure("\(name) requires exactly one argument") }
      switch name {
      case "WORKDIR": return .workdir(rest)
      case "USER": return .user(rest)
      case "STOPSIGNAL": return .stopSignal(rest)
      default: return .maintainer(rest)
      }
    case "ENV", "LABEL":
      _ = try flags([:])
      let pairs = try nameValues(rest, name: name)
      return name == "ENV" ? .env(pairs) : .label(pairs)
    case "ARG":
      _ = try flags([:])
      return .arg(try parseArg(rest))
    case "EXPOSE":
      _ = try flags([:])
      let ports = rest.splitOnBlanks()
      guard !ports.isEmpty else { throw ParseFailure("EXPOSE requires at least one argument") }
      return .expose(ports)
    case "VOLUME":
      _ = try flags([:])
      let paths = try list(rest)
      guard !paths.0.isEmpty else { throw ParseFailure("VOLUME requires at least one argument") }
      if paths.0.contains(where: { $0.trimmingSpace().isEmpty }) {
        throw ParseFailure("VOLUME specified can not be an empty string")
      }
      return .volume(paths.0)
    case "SHELL":
      _ = try flags([:])
      switch JSONArray.parse(rest) {
      case .strings(let args):
        guard !args.isEmpty else { throw ParseFailure("SHELL requires at least one argument") }
        return .shell(args)
      case .notStringArray: throw ParseFailure(JSONArray.notStringArrayMessage)
      case .notJSON:
        if rest.isEmpty { throw ParseFailure("SHELL requires at least one argument") }
        throw ParseFailure("SHELL requires the arguments to be in JSON form")
      }
    case "HEALTHCHECK":
      return .healthcheck(try parseHealthcheck(rest, written: head.flags))
    case "ONBUILD":
      _ = try flags([:])
      return .onbuild(try parseOnbuild(rest: rest, heredocs: heredocs, location: location))
    default:
      throw ParseFailure("unknown instruction: \(head.keyword)")
    }
  }

  private func parseFrom(_ rest: String, flags: BuilderFlags) throws(ParseFailure) -> FromInstruction {
    let args = rest.splitOnBlanks()
    var stageName: String? = nil
    if args.count == 3 && args[1].lowercased() == "as" {
      let lowered = args[2].lowercased()
      guard Self.isValidStageName(lowered) else {
        throw ParseFailure(
          "invalid name for build stage: \"\(args[2])\", name can't start with a number or contain symbols")
      }
      stageName = lowered
    } else if args.count == 3 {
      throw ParseFailure("FROM requires either one or three arguments")  // BuildKit: the middle word must be AS.
    } else if args.count != 1 {
      throw ParseFailure("FROM requires either one or three arguments")
    }
    return FromInstruction(baseName: args[0], stageName: stageName, platform: flags.string("platform"))
  }

  /// `^[a-z][a-z0-9-_\.]*$`
  static func isValidStageName(_ name: String) -> Bool {
    let s = name.unicodeScalars
    guard let first = s.first, ("a"..."z").contains(first) else { return false }
    return s.allSatisfy { ("a"..."z").contains($0) || $0.isASCIIDigit || $0 == "-" || $0 == "_" || $0 == "." }
  }

  private func parseRun(_ rest: String, heredocs: [Heredoc], flags: BuilderFlags) throws(ParseFailure)
    -> RunInstruction
  {
    let command = try commandForm(rest, name: "RUN")
    if case .exec(let args) = command, args.isEmpty { throw ParseFailure("RUN requires at least one argument") }
    var mounts: [MountSpec] = []
    for raw in flags.list("mount") {
      if raw.contains("$") {
        // BuildKit: `from` names a stage statically; everything else waits for the stage's env.
        let fields = (try? CSVFields.parse(raw)) ?? []  // Malformed CSV is reported when resolved.
        for field in fields where field.lowercased().hasPrefix("from=") {
          let value = field.dropFirst(5)
          if let i = value.firstIndex(of: "$"), value.index(after: i) != value.endIndex {
            throw ParseFailure("'from' doesn't support variable expansion, define alias stage instead")
          }
        }
        mounts.append(MountSpec(raw: raw, parsed: nil))
        continue
      }
      do {
        mounts.append(MountSpec(raw: raw, parsed: try RunMount.parse(raw) { $0 }))
      } catch let failure as MountFailure {
        throw ParseFailure(failure.message)
      } catch {
        throw ParseFailure("\(error)")
      }
    }
    var network: NetworkMode? = nil
    if let n = flags.string("network") {
      guard let mode = NetworkMode(rawValue: n) else { throw ParseFailure("unsupported network mode \"\(n)\"") }
      network = mode
    }
    var security: SecurityMode? = nil
    if let s = flags.string("security") {
      guard let mode = SecurityMode(rawValue: s) else { throw ParseFailure("unsupported security mode \"\(s)\"") }
      security = mode
    }
    return RunInstruction(
      command: command, heredocs: command.isExec ? [] : heredocs, mounts: mounts, network: network,
      security: security, devices: flags.list("device"))
  }

  /// BuildKit's `parseMaybeJSON`: a JSON string array is the exec form, anything else that
  /// is not JSON is the shell form.
  private func commandForm(_ rest: String, name: String) throws(ParseFailure) -> CommandForm {
    switch JSONArray.parse(rest) {
    case .strings(let args): return .exec(args)
    case .notStringArray: throw ParseFailure(JSONArray.notStringArrayMessage)
    case .notJSON:
      guard !rest.isEmpty else { throw ParseFailure("\(name) requires at least one argument") }
      return .shell(rest)
    }
  }

  /// BuildKit's `parseMaybeJSONToList`: a JSON string array, else blank-separated words.
  private func list(_ rest: String) throws(ParseFailure) -> ([String], Bool) {
    switch JSONArray.parse(rest) {
    case .strings(let args): return (args, true)
    case .notStringArray: throw ParseFailure(JSONArray.notStringArrayMessage)
    case .notJSON: return (rest.splitOnBlanks(), false)
    }
  }

  private func sourcesAndDestination(_ rest: String, heredocs: [Heredoc], name: String) throws(ParseFailure)
    -> ([CopySource], String, Bool)
  {
    let (args, json) = try list(rest)
    guard args.count >= 2 else {
      if args.count == 1 {
        throw ParseFailure(
          "\(name) requires at least two arguments, but only one was provided. Destination could not be determined.")
      }
      throw ParseFailure("\(name) requires at least two arguments")
    }
    guard let dest = args.last else { throw ParseFailure("\(name) requires at least two arguments") }
    if !json, Heredoc.header(dest) != nil { throw ParseFailure("\(name) cannot accept a heredoc as a destination") }
    var sources: [CopySource] = []
    for src in args.dropLast() {
      if !json, let marker = Heredoc.header(src) {
        let body = heredocs.first(where: { $0.name == marker.name })
        sources.append(.heredoc(body ?? marker))
      } else {
        sources.append(.path(src))
      }
    }
    return (sources, dest, json)
  }

  /// ENV and LABEL: `k=v …`, or the legacy `k v` when the first word has no `=`.
  private func nameValues(_ rest: String, name: String) throws(ParseFailure) -> [KeyValue] {
    let words = ArgumentWords.split(rest, escape: escape)
    guard let first = words.first else { throw ParseFailure("\(name) requires at least one argument") }
    if !first.contains("=") {
      let (key, value) = rest.splitFirstWord()
      guard let value else { throw ParseFailure("\(name) must have two arguments") }
      return [KeyValue(key: key, value: value)]
    }
    var pairs: [KeyValue] = []
    for word in words {
      guard let eq = word.firstIndex(of: "=") else {
        throw ParseFailure("Syntax error - can't find = in \"\(word)\". Must be of the form: name=value")
      }
      let key = String(word[..<eq])
      guard !key.isEmpty else { throw ParseFailure("\(name) names can not be blank") }
      pairs.append(KeyValue(key: key, value: String(word[word.index(after: eq)...])))
    }
    return pairs
  }

  private func parseArg(_ rest: String) throws(ParseFailure) -> [ArgDefinition] {
    let words = ArgumentWords.split(rest, escape: escape)
    guard !words.isEmpty else { throw ParseFailure("ARG requires at least one argument") }
    return try words.map { (word: String) throws(ParseFailure) -> ArgDefinition in
      guard let eq = word.firstIndex(of: "=") else { return ArgDefinition(name: word) }
      let key = String(word[..<eq])
      guard !key.isEmpty else { throw ParseFailure("ARG names can not be blank") }
      return ArgDefinition(name: key, defaultValue: String(word[word.index(after: eq)...]))
    }
  }

  private func parseHealthcheck(_ rest: String, written: [String]) throws(ParseFailure) -> Healthcheck {
    let (type, remainder) = rest.splitFirstWord()
    guard !type.isEmpty else { throw ParseFailure("HEALTHCHECK requires at least one argument") }
    if type.uppercased() == "NONE" {
      // Docker does not read the options of NONE at all; neither do we.
      guard (remainder ?? "").isEmpty else { throw ParseFailure("HEALTHCHECK NONE takes no arguments") }
      return .none
    }
    let flags = try BuilderFlags(
      written,
      accepting: [
        "interval": .string, "timeout": .string, "start-period": .string, "start-interval": .string,
        "retries": .string,
      ])
    guard type.uppercased() == "CMD" else {
      throw ParseFailure("Unknown type \"\(type.uppercased())\" in HEALTHCHECK (try CMD)")
    }
    let body = remainder ?? ""
    let command: CommandForm
    switch JSONArray.parse(body) {
    case .strings(let args):
      guard !args.isEmpty else { throw ParseFailure("Missing command after HEALTHCHECK CMD") }
      command = .exec(args)
    case .notStringArray: throw ParseFailure(JSONArray.notStringArrayMessage)
    case .notJSON:
      guard !body.isEmpty else { throw ParseFailure("Missing command after HEALTHCHECK CMD") }
      command = .shell(body)
    }
    func duration(_ name: String) throws(ParseFailure) -> Int64? {
      guard let text = flags.string(name), !text.isEmpty else { return nil }
      guard let d = GoDuration.parse(text) else { throw ParseFailure("time: invalid duration \"\(text)\"") }
      if d != 0 && d < 1_000_000 { throw ParseFailure("Interval \"\(name)\" cannot be less than 1ms") }
      return d
    }
    var retries: Int? = nil
    if let text = flags.string("retries"), !text.isEmpty {
      guard let n = Int32(text) else { throw ParseFailure("strconv.ParseInt: parsing \"\(text)\": invalid syntax") }
      guard n >= 0 else { throw ParseFailure("--retries cannot be negative (\(n))") }
      retries = Int(n)
    }
    return .check(
      HealthcheckCommand(
        command: command, interval: try duration("interval"), timeout: try duration("timeout"),
        startPeriod: try duration("start-period"), startInterval: try duration("start-interval"), retries: retries))
  }

  private func parseOnbuild(rest: String, heredocs: [Heredoc], location: SourceSpan) throws(ParseFailure)
    -> OnbuildInstruction
  {
    guard !rest.isEmpty else { throw ParseFailure("ONBUILD requires at least one argument") }
    let trigger = rest.splitFirstWord().0.uppercased()
    switch trigger {
    case "ONBUILD": throw ParseFailure("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
    case "FROM", "MAINTAINER": throw ParseFailure("\(trigger) isn't allowed as an ONBUILD trigger")
    default: break
    }
    var inner = location
    inner.original = rest
    let kind = try parse(rest, heredocs: heredocs, location: inner)
    var expression = rest
    for doc in heredocs { expression += "\n" + doc.content + doc.name }
    return OnbuildInstruction(trigger: Instruction(kind: kind, location: inner), expression: expression)
  }
}
