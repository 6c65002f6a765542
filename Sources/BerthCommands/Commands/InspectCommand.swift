import EngineClient

enum InspectCommand {
  static let spec = CommandSpec(
    "inspect", usage: "[OPTIONS] NAME|ID [NAME|ID...]", summary: "Return low-level information on Docker objects",
    flags: [
      .string(
        "format", "f",
        "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      ),
      .bool("size", "s", "Display total file sizes if the type is container"),
      .string("type", nil, "Only inspect objects of the given type"),
    ], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    try inspect(ctx, flags, type: flags.string("type"))
  }

  static func typed(_ path: String, _ type: String, summary: String) -> Command {
    var s = CommandSpec(
      path, usage: "[OPTIONS] \(type.uppercased()) [\(type.uppercased())...]", summary: summary,
      flags: spec.flags.filter { $0.long != "type" && (type == "container" || $0.long != "size") },
      arguments: .atLeast(1))
    s.aliases = []
    return Command(s) { ctx, flags in try inspect(ctx, flags, type: type) }
  }

  static func fetch(_ client: EngineClient, _ name: String, type: String?, size: Bool) throws -> JSON {
    let n = pathEscape(name)
    switch type {
    case "container": return try client.json("GET", "/containers/\(n)/json", query: size ? [("size", "1")] : [])
    case "image": return try client.json("GET", "/images/\(n)/json")
    case "volume": return try client.json("GET", "/volumes/\(n)")
    case "network": return try client.json("GET", "/networks/\(n)")
    case nil:
      for t in ["container", "image", "volume", "network"] {
        do {
          return try fetch(client, name, type: t, size: size)
        } catch let error as EngineClientError where error.statusCode == 404 || error.statusCode == 501 {
          continue
        }
      }
      throw CommandError.failure("Error: No such object: \(name)")
    case .some(let t):
      throw CommandError.failure("\"\(t)\" is not a valid value for --type")
    }
  }

  static func inspect(_ ctx: CommandContext, _ flags: ParsedFlags, type: String?) throws -> Int32 {
    let client = try ctx.client()
    var values: [JSON] = []
    var failed = false
    var errors: [String] = []
    for name in flags.positionals {
      do {
        values.append(try fetch(client, name, type: type, size: flags.bool("size")))
      } catch let error as EngineClientError where error.statusCode == 404 {
        errors.append(type == nil ? "Error: No such object: \(name)" : "Error response from daemon: \(error.message)")
        failed = true
      } catch {
        errors.append(describe(error))
        failed = true
      }
    }
    if let format = flags.string("format"), format != "json" {
      for value in values { ctx.outLine(try renderTemplate(format, value)) }
    } else {
      ctx.outLine(JSON.array(values).pretty())
    }
    for e in errors { ctx.errLine(e) }
    return failed ? 1 : 0
  }
}
