import EngineClient

/// The prune calls and docker's report of each ("Deleted Containers:" …); each returns the
/// space it reclaimed.
enum Pruning {
  static func containers(_ ctx: CommandContext, filters: [String]) throws -> Double {
    let result = try ctx.client().json("POST", "/containers/prune", query: try filtersQuery(filters))
    section(ctx, "Deleted Containers:", result["ContainersDeleted"]?.stringArray ?? [])
    return result["SpaceReclaimed"]?.doubleValue ?? 0
  }

  static func networks(_ ctx: CommandContext, filters: [String]) throws -> Double {
    let result = try ctx.client().json("POST", "/networks/prune", query: try filtersQuery(filters))
    section(ctx, "Deleted Networks:", result["NetworksDeleted"]?.stringArray ?? [])
    return 0
  }

  static func volumes(_ ctx: CommandContext, filters: [String]) throws -> Double {
    let result = try ctx.client().json("POST", "/volumes/prune", query: try filtersQuery(filters))
    section(ctx, "Deleted Volumes:", result["VolumesDeleted"]?.stringArray ?? [])
    return result["SpaceReclaimed"]?.doubleValue ?? 0
  }

  static func images(_ ctx: CommandContext, all: Bool, filters: [String]) throws -> Double {
    let result = try ctx.client().json(
      "POST", "/images/prune", query: try filtersQuery(["dangling=\(all ? "false" : "true")"] + filters))
    var lines: [String] = []
    for item in result["ImagesDeleted"]?.arrayValue ?? [] {
      if let u = item["Untagged"]?.stringValue { lines.append("untagged: \(u)") }
      if let d = item["Deleted"]?.stringValue { lines.append("deleted: \(d)") }
    }
    section(ctx, "Deleted Images:", lines)
    return result["SpaceReclaimed"]?.doubleValue ?? 0
  }

  /// POST /build/prune: docker sends `filters=` even when empty, and `all=1` for -a.
  static func buildCache(_ ctx: CommandContext, all: Bool, filters: [String]) throws -> Double {
    var query: [(String, String)] = all ? [("all", "1")] : []
    query += try filtersQuery(filters)
    if filters.isEmpty { query.append(("filters", "")) }
    let result = try ctx.client().json("POST", "/build/prune", query: query)
    section(ctx, "Deleted build cache objects:", result["CachesDeleted"]?.stringArray ?? [])
    return result["SpaceReclaimed"]?.doubleValue ?? 0
  }

  static func section(_ ctx: CommandContext, _ title: String, _ lines: [String]) {
    guard !lines.isEmpty else { return }
    ctx.outLine(title)
    for line in lines { ctx.outLine(line) }
    ctx.outLine("")
  }

  static func total(_ ctx: CommandContext, _ space: Double) {
    ctx.outLine("Total reclaimed space: \(Units.humanSize(space))")
  }
}
