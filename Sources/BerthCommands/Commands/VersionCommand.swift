import EngineClient

enum VersionCommand {
  static let spec = CommandSpec(
    "version", usage: "[OPTIONS]", summary: "Show the Berth version information",
    flags: [
      .string(
        "format", "f",
        "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      )
    ],
    arguments: .none)

  static let command = Command(spec) { ctx, flags in
    let client = JSON.object([
      .init("Platform", .object([.init("Name", .string(""))])),
      .init("Version", .string(BerthCLI.version)),
      .init("ApiVersion", .string(EngineClient.maxAPIVersion)),
      .init("DefaultAPIVersion", .string(EngineClient.maxAPIVersion)),
      .init("GitCommit", .string("unknown")),
      .init("GoVersion", .string("n/a (Swift)")),
      .init("Os", .string("linux")),
      .init("Arch", .string(architecture())),
      .init("BuildTime", .string("")),
      .init("Context", .string("default")),
    ])
    var clientValue = client
    var server: JSON = .null
    var serverError: (any Error)?
    do {
      let c = try ctx.client()
      clientValue.set("ApiVersion", .string(c.apiVersion ?? EngineClient.maxAPIVersion))
      server = try c.json("GET", "/version")
    } catch {
      serverError = error
    }
    let all = JSON.object([.init("Client", clientValue), .init("Server", server)])
    if let format = flags.string("format") {
      let text = format == "json" ? all.serialized(escapeHTML: true) : try renderTemplate(format, all)
      ctx.outLine(text)
    } else {
      ctx.out(TabWriter(minWidth: 20, padding: 1).format(text(client: clientValue, server: server)))
    }
    if let serverError {
      ctx.errLine(describe(serverError))
      return 1
    }
    return 0
  }

  static func text(client: JSON, server: JSON) -> String {
    func s(_ v: JSON?) -> String { v.map { GoTemplate.display($0) } ?? "" }
    var apiLine = s(client["ApiVersion"])
    if s(client["ApiVersion"]) != s(client["DefaultAPIVersion"]) {
      apiLine += " (downgraded from \(s(client["DefaultAPIVersion"])))"
    }
    var out = """
      Client:
       Version:\t\(s(client["Version"]))
       API version:\t\(apiLine)
       Go version:\t\(s(client["GoVersion"]))
       Git commit:\t\(s(client["GitCommit"]))
       Built:\t\(s(client["BuildTime"]))
       OS/Arch:\t\(s(client["Os"]))/\(s(client["Arch"]))
       Context:\t\(s(client["Context"]))

      """
    guard case .object = server else { return out }
    let platform = s(server["Platform"]?["Name"])
    out += "\nServer:" + (platform.isEmpty ? "" : " " + platform) + "\n"
    let components = server["Components"]?.arrayValue ?? []
    for component in components {
      let name = s(component["Name"])
      out += " \(name):\n"
      let details = component["Details"] ?? .object([])
      if name == "Engine" {
        out += "  Version:\t\(s(component["Version"]))\n"
        out += "  API version:\t\(s(details["ApiVersion"])) (minimum version \(s(details["MinAPIVersion"])))\n"
        out += "  Go version:\t\(s(details["GoVersion"]))\n"
        out += "  Git commit:\t\(s(details["GitCommit"]))\n"
        out += "  Built:\t\(ansic(s(details["BuildTime"])))\n"
        out += "  OS/Arch:\t\(s(details["Os"]))/\(s(details["Arch"]))\n"
        out += "  Experimental:\t\(s(details["Experimental"]))\n"
      } else {
        out += "  Version:\t\(s(component["Version"]))\n"
        for member in details.objectValue ?? [] {
          out += "  \(member.key):\t\(GoTemplate.display(member.value))\n"
        }
      }
    }
    if components.isEmpty {
      out += " Engine:\n  Version:\t\(s(server["Version"]))\n"
      out += "  API version:\t\(s(server["ApiVersion"])) (minimum version \(s(server["MinAPIVersion"])))\n"
      out += "  OS/Arch:\t\(s(server["Os"]))/\(s(server["Arch"]))\n"
    }
    return out
  }

  /// RFC 3339 → Go's time.ANSIC ("Mon Jan  2 15:04:05 2006", UTC); other text unchanged.
  static func ansic(_ text: String) -> String {
    guard let t = Clock.parseRFC3339(text) else { return text }
    let days = Int((t / 86400).rounded(.down))
    let secs = Int(t) - days * 86400
    let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let (y, m, d) = civil(days)
    func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let day = d < 10 ? " \(d)" : "\(d)"
    return
      "\(weekdays[((days % 7) + 7) % 7]) \(months[m - 1]) \(day) \(p2(secs / 3600)):\(p2(secs % 3600 / 60)):\(p2(secs % 60)) \(y)"
  }

  static func civil(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  static func architecture() -> String {
    #if arch(x86_64)
      "amd64"
    #elseif arch(arm64)
      "arm64"
    #else
      "unknown"
    #endif
  }
}
