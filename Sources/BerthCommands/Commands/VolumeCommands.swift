import EngineAPI
import EngineClient

enum VolumeCommands {
  static let create = Command(
    CommandSpec(
      "volume create", usage: "[OPTIONS] [VOLUME]", summary: "Create a volume",
      flags: [
        .string("driver", "d", "Specify volume driver name", default: "\"local\""),
        .list("label", nil, "Set metadata for a volume"),
        .string("name", nil, "Specify volume name"),
        .typed("map", "opt", "o", "Set driver specific options"),
      ], arguments: .range(0, 1))
  ) { ctx, flags in
    var request = VolumeCreateRequest()
    request.name = flags.positionals.first ?? flags.string("name")
    request.driver = flags.string("driver") ?? "local"
    let labels = keyValues(flags.all("label"))
    if !labels.isEmpty { request.labels = labels }
    let opts = keyValues(flags.all("opt"))
    if !opts.isEmpty { request.driverOpts = opts }
    let volume = try ctx.client().json("POST", "/volumes/create", body: .encodable(request))
    ctx.outLine(volume["Name"]?.stringValue ?? "")
    return 0
  }

  static let list = Command(
    CommandSpec(
      "volume ls", usage: "[OPTIONS]", summary: "List volumes",
      flags: [
        .list("filter", "f", "Provide filter values (e.g. \"dangling=true\")"),
        .string(
          "format", nil,
          "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
        ),
        .bool("quiet", "q", "Only display volume names"),
      ], arguments: .none)
  ) { ctx, flags in
    let answer = try ctx.client().json("GET", "/volumes", query: try filtersQuery(flags.all("filter")))
    let volumes = (answer["Volumes"]?.arrayValue ?? []).sorted {
      ($0["Name"]?.stringValue ?? "") < ($1["Name"]?.stringValue ?? "")
    }
    let rows = volumes.map { v -> JSON in
      let labels = (v["Labels"]?.objectValue ?? []).map { "\($0.key)=\($0.value.stringValue ?? "")" }.sorted()
      var size = "N/A"
      if let s = v["UsageData"]?["Size"]?.doubleValue, s >= 0 { size = Units.humanSize(s, precision: 3) }
      return .object([
        .init("Availability", .string("N/A")),
        .init("Driver", .string(v["Driver"]?.stringValue ?? "")),
        .init("Group", .string("N/A")),
        .init("Labels", .string(labels.joined(separator: ","))),
        .init("Links", .string(v["UsageData"]?["RefCount"].map { GoTemplate.display($0) } ?? "N/A")),
        .init("Mountpoint", .string(v["Mountpoint"]?.stringValue ?? "")),
        .init("Name", .string(v["Name"]?.stringValue ?? "")),
        .init("Scope", .string(v["Scope"]?.stringValue ?? "local")),
        .init("Size", .string(size)),
        .init("Status", .string("N/A")),
      ])
    }
    let formatter = ListFormatter(
      defaultTable: "table {{.Driver}}\t{{.Name}}",
      headers: [
        "Name": "VOLUME NAME", "Driver": "DRIVER", "Scope": "SCOPE", "Mountpoint": "MOUNTPOINT", "Labels": "LABELS",
        "Links": "LINKS", "Size": "SIZE", "Group": "GROUP", "Availability": "AVAILABILITY", "Status": "STATUS",
      ])
    ctx.out(
      try formatter.render(
        format: flags.string("format"), rows: rows, quiet: flags.bool("quiet"), quietTemplate: "{{.Name}}"))
    return 0
  }

  static let inspect = InspectCommand.typed(
    "volume inspect", "volume", summary: "Display detailed information on one or more volumes")

  static let remove = Command(
    CommandSpec(
      "volume rm", usage: "[OPTIONS] VOLUME [VOLUME...]", summary: "Remove one or more volumes",
      flags: [.bool("force", "f", "Force the removal of one or more volumes")], arguments: .atLeast(1))
  ) { ctx, flags in
    let client = try ctx.client()
    let query: [(String, String)] = flags.bool("force") ? [("force", "1")] : []
    return ctx.forEach(flags.positionals) { try client.call("DELETE", "/volumes/\(pathEscape($0))", query: query) }
  }

  static let prune = Command(
    CommandSpec(
      "volume prune", usage: "[OPTIONS]", summary: "Remove unused local volumes",
      flags: [
        .bool("all", "a", "Remove all unused volumes, not just anonymous ones"),
        .list("filter", nil, "Provide filter values (e.g. \"label=<label>\")"),
        .bool("force", "f", "Do not prompt for confirmation"),
      ], arguments: .none)
  ) { ctx, flags in
    var filters = flags.all("filter")
    let warning =
      flags.bool("all")
      ? "WARNING! This will remove all local volumes not used by at least one container."
      : "WARNING! This will remove anonymous local volumes not used by at least one container."
    if !flags.bool("force") && !ctx.confirm(warning + "\nAre you sure you want to continue?") { return 0 }
    if flags.bool("all") { filters.append("all=true") }
    Pruning.total(ctx, try Pruning.volumes(ctx, filters: filters))
    return 0
  }
}
