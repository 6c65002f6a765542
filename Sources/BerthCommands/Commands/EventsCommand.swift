import EngineClient

enum EventsCommand {
  static let spec = CommandSpec(
    "events", usage: "[OPTIONS]", summary: "Get real time events from the server",
    aliases: ["system events", "events"],
    flags: [
      .list("filter", "f", "Filter output based on conditions provided"),
      .string(
        "format", nil,
        "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      ),
      .string("since", nil, "Show all events created since timestamp"),
      .string("until", nil, "Stream events until this timestamp"),
    ], arguments: .none)

  static let command = Command(spec) { ctx, flags in
    var query: [(String, String)] = []
    for key in ["since", "until"] {
      guard let text = flags.string(key) else { continue }
      guard let t = Clock.parseTimestamp(text) else {
        throw CommandError.failure("invalid value for \"\(key)\": \(text)")
      }
      query.append((key, LogsCommand.formatSeconds(t)))
    }
    query += try filtersQuery(flags.all("filter"))
    let (_, body) = try ctx.client().open("GET", "/events", query: query)
    defer { body.close() }
    let format = flags.string("format")
    try body.forEachLine { line in
      guard let event = try? JSON.parse(line) else { return }
      if let format {
        ctx.outLine(format == "json" ? event.serialized(escapeHTML: true) : try renderTemplate(format, event))
      } else {
        ctx.outLine(text(event))
      }
    }
    return 0
  }

  /// `2024-05-01T10:20:30.123456789Z container start <id> (image=busybox, name=x)`.
  static func text(_ e: JSON) -> String {
    let nanos = e["timeNano"]?.int64Value ?? ((e["time"]?.int64Value ?? 0) * 1_000_000_000)
    let type = e["Type"]?.stringValue ?? ""
    let action = e["Action"]?.stringValue ?? e["status"]?.stringValue ?? ""
    let id = e["Actor"]?["ID"]?.stringValue ?? e["id"]?.stringValue ?? ""
    var line = "\(rfc3339Nano(nanos)) \(type) \(action) \(id)"
    let attributes = (e["Actor"]?["Attributes"]?.objectValue ?? []).sorted(by: { $0.key < $1.key })
    if !attributes.isEmpty {
      line += " (" + attributes.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ", ") + ")"
    }
    return line
  }

  static func rfc3339Nano(_ nanos: Int64) -> String {
    let seconds = nanos / 1_000_000_000
    let frac = nanos % 1_000_000_000
    let days = Int(seconds / 86400)
    let rem = Int(seconds % 86400)
    let (y, m, d) = VersionCommand.civil(days)
    func p(_ v: Int, _ n: Int = 2) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    var f = p(Int(frac), 9)
    while f.hasSuffix("0") { f.removeLast() }
    return
      "\(p(y, 4))-\(p(m))-\(p(d))T\(p(rem / 3600)):\(p(rem % 3600 / 60)):\(p(rem % 60))\(f.isEmpty ? "" : "." + f)Z"
  }
}
