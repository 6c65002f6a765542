import EngineClient

enum PsCommand {
  static let spec = CommandSpec(
    "ps", usage: "[OPTIONS]", summary: "List containers",
    aliases: ["container ls", "container list", "container ps", "ps"],
    flags: [
      .bool("all", "a", "Show all containers (default shows just running)"),
      .list("filter", "f", "Filter output based on conditions provided"),
      .string(
        "format", nil,
        "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      ),
      .int("last", "n", "Show n last created containers (includes all states)", default: "-1"),
      .bool("latest", "l", "Show the latest created container (includes all states)"),
      .bool("no-trunc", nil, "Don't truncate output"),
      .bool("quiet", "q", "Only display container IDs"),
      .bool("size", "s", "Display total file sizes"),
    ], arguments: .none)

  static let command = Command(spec) { ctx, flags in
    var query: [(String, String)] = []
    let last = flags.int("last") ?? -1
    if flags.bool("all") || last > 0 || flags.bool("latest") { query.append(("all", "1")) }
    if flags.bool("latest") {
      query.append(("limit", "1"))
    } else if last > 0 {
      query.append(("limit", String(last)))
    }
    let format = flags.string("format")
    let wantsSize = flags.bool("size") || (format?.contains(".Size") ?? false)
    if wantsSize { query.append(("size", "1")) }
    query += try filtersQuery(flags.all("filter"))
    let list = try ctx.client().json("GET", "/containers/json", query: query)
    let truncate = !flags.bool("no-trunc")
    let now = Clock.now()
    let rows = (list.arrayValue ?? []).map { ContainerRows.row($0, truncate: truncate, now: now) }
    var table = ContainerRows.defaultTable
    if flags.bool("size") { table += "\t{{.Size}}" }
    let formatter = ListFormatter(defaultTable: table, headers: ContainerRows.headers)
    ctx.out(try formatter.render(format: format, rows: rows, quiet: flags.bool("quiet")))
    return 0
  }
}
