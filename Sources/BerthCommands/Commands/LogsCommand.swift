import EngineClient

enum LogsCommand {
  static let spec = CommandSpec(
    "logs", usage: "[OPTIONS] CONTAINER", summary: "Fetch the logs of a container",
    aliases: ["container logs", "logs"],
    flags: [
      .bool("details", nil, "Show extra details provided to logs"),
      .bool("follow", "f", "Follow log output"),
      .string(
        "since", nil,
        "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
      .string("tail", "n", "Number of lines to show from the end of the logs", default: "\"all\""),
      .bool("timestamps", "t", "Show timestamps"),
      .string(
        "until", nil,
        "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
    ], arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    let name = flags.positionals[0]
    let info = try client.json("GET", "/containers/\(pathEscape(name))/json")
    let tty = info["Config"]?["Tty"]?.boolValue ?? false
    var query: [(String, String)] = [("stdout", "1"), ("stderr", "1")]
    if flags.bool("follow") { query.append(("follow", "1")) }
    if flags.bool("timestamps") { query.append(("timestamps", "1")) }
    if flags.bool("details") { query.append(("details", "1")) }
    for key in ["since", "until"] {
      guard let text = flags.string(key) else { continue }
      guard let t = Clock.parseTimestamp(text) else {
        throw CommandError.failure(
          "invalid value for \"\(key)\": failed to parse value as time or duration: \"\(text)\"")
      }
      query.append((key, formatSeconds(t)))
    }
    if let tail = flags.string("tail") { query.append(("tail", tail)) }
    let (_, body) = try client.open("GET", "/containers/\(pathEscape(name))/logs", query: query)
    defer { body.close() }
    var copier = OutputCopier(tty: tty, stdoutFD: ctx.io.stdout, stderrFD: ctx.io.stderr)
    while let piece = try body.next() { copier.write(piece) }
    return 0
  }

  /// Seconds with nanoseconds, as docker sends them ("1700000000.123456789").
  static func formatSeconds(_ t: Double) -> String {
    let whole = Int64(t.rounded(.down))
    let nanos = Int64(((t - Double(whole)) * 1e9).rounded())
    let n = String(nanos)
    return "\(whole).\(String(repeating: "0", count: max(0, 9 - n.count)))\(n)"
  }
}

enum TopCommand {
  static let spec = CommandSpec(
    "top", usage: "CONTAINER [ps OPTIONS]", summary: "Display the running processes of a container",
    aliases: ["container top", "top"], interspersed: false, arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    var query: [(String, String)] = []
    let psArgs = flags.positionals.dropFirst().joined(separator: " ")
    if !psArgs.isEmpty { query.append(("ps_args", psArgs)) }
    let top = try ctx.client().json("GET", "/containers/\(pathEscape(flags.positionals[0]))/top", query: query)
    var text = (top["Titles"]?.stringArray ?? []).joined(separator: "\t") + "\n"
    for process in top["Processes"]?.arrayValue ?? [] {
      text += process.stringArray.joined(separator: "\t") + "\n"
    }
    ctx.out(TabWriter(minWidth: 20, padding: 1).format(text))
    return 0
  }
}

enum PortCommand {
  static let spec = CommandSpec(
    "port", usage: "CONTAINER [PRIVATE_PORT[/PROTO]]",
    summary: "List port mappings or a specific mapping for the container", aliases: ["container port", "port"],
    arguments: .range(1, 2))

  static let command = Command(spec) { ctx, flags in
    let container = flags.positionals[0]
    var wanted: String?
    if flags.positionals.count == 2 {
      let text = flags.positionals[1]
      let port =
        text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
      let proto =
        text.contains("/") ? String(text[text.index(after: text.firstIndex(of: "/") ?? text.startIndex)...]) : ""
      wanted = port + "/" + (proto.isEmpty ? "tcp" : proto)
    }
    let info = try ctx.client().json("GET", "/containers/\(pathEscape(container))/json")
    if let wanted, let port = wanted.split(separator: "/").first {
      do {
        _ = try PortSpec.parseUint16(String(port))
      } catch {
        throw CommandError.failure("Error: invalid port (\(port)): \(error)")
      }
    }
    let ports = info["NetworkSettings"]?["Ports"]?.objectValue ?? []
    var lines: [String] = []
    if let wanted {
      guard let bindings = ports.first(where: { $0.key == wanted })?.value.arrayValue, !bindings.isEmpty else {
        throw CommandError.failure("Error: No public port '\(flags.positionals[1])' published for \(container)")
      }
      lines = bindings.map(hostPort)
    } else {
      for member in ports {
        for b in member.value.arrayValue ?? [] { lines.append("\(member.key) -> \(hostPort(b))") }
      }
    }
    for line in lines.sorted(by: NaturalOrder.less) { ctx.outLine(line) }
    return 0
  }

  static func hostPort(_ b: JSON) -> String {
    let ip = b["HostIp"]?.stringValue ?? ""
    let port = b["HostPort"]?.stringValue ?? ""
    return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
  }
}

enum DiffCommand {
  static let spec = CommandSpec(
    "diff", usage: "CONTAINER", summary: "Inspect changes to files or directories on a container's filesystem",
    aliases: ["container diff", "diff"], arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    let changes = try ctx.client().json("GET", "/containers/\(pathEscape(flags.positionals[0]))/changes")
    for change in changes.arrayValue ?? [] {
      let kind: String
      switch change["Kind"]?.intValue ?? 0 {
      case 1: kind = "A"
      case 2: kind = "D"
      default: kind = "C"
      }
      ctx.outLine("\(kind) \(change["Path"]?.stringValue ?? "")")
    }
    return 0
  }
}
