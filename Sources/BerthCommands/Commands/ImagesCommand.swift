import EngineClient

enum ImagesCommand {
  static let spec = CommandSpec(
    "images", usage: "[OPTIONS] [REPOSITORY[:TAG]]", summary: "List images",
    aliases: ["image ls", "image list", "images"],
    flags: [
      .bool("all", "a", "Show all images (default hides intermediate images)"),
      .bool("digests", nil, "Show digests"),
      .list("filter", "f", "Filter output based on conditions provided"),
      .string(
        "format", nil,
        "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      ),
      .bool("no-trunc", nil, "Don't truncate output"),
      .bool("quiet", "q", "Only show image IDs"),
    ], arguments: .range(0, 1))

  static let command = Command(spec) { ctx, flags in
    var query: [(String, String)] = []
    if flags.bool("all") { query.append(("all", "1")) }
    var filters = flags.all("filter")
    if let reference = flags.positionals.first { filters.append("reference=\(reference)") }
    query += try filtersQuery(filters)
    let list = try ctx.client().json("GET", "/images/json", query: query)
    let truncate = !flags.bool("no-trunc")
    let digests = flags.bool("digests") || (flags.string("format")?.contains(".Digest") ?? false)
    let now = Clock.now()
    let rows = (list.arrayValue ?? []).flatMap { ImageRows.rows($0, truncate: truncate, digests: digests, now: now) }
    let formatter = ListFormatter(
      defaultTable: flags.bool("digests") ? ImageRows.digestTable : ImageRows.defaultTable, headers: ImageRows.headers)
    ctx.out(try formatter.render(format: flags.string("format"), rows: rows, quiet: flags.bool("quiet")))
    return 0
  }
}
