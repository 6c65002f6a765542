import EngineClient

enum SystemCommands {
  static let df = Command(
    CommandSpec(
      "system df", usage: "[OPTIONS]", summary: "Show docker disk usage",
      flags: [
        .string("format", nil, "Format output using a custom template"),
        .bool("verbose", "v", "Show detailed information on space usage"),
      ], arguments: .none)
  ) { ctx, flags in
    let df = try ctx.client().json("GET", "/system/df")
    let images = df["Images"]?.arrayValue ?? []
    let containers = df["Containers"]?.arrayValue ?? []
    let volumes = df["Volumes"]?.arrayValue ?? []
    let cache = df["BuildCache"]?.arrayValue ?? []
    func d(_ v: JSON?) -> Double { v?.doubleValue ?? 0 }
    func reclaim(_ r: Double, _ total: Double) -> String {
      let s = Units.humanSize(r)
      return total > 0 ? "\(s) (\(Int(r * 100 / total))%)" : s
    }
    let imgTotal = d(df["LayersSize"])
    let imgActive = images.filter { ($0["Containers"]?.intValue ?? 0) > 0 }.count
    let imgReclaim =
      imgTotal
      - images.filter { ($0["Containers"]?.intValue ?? 0) > 0 }.reduce(0) {
        $0 + d($1["Size"]) - max(0, d($1["SharedSize"]))
      }
    let cTotal = containers.reduce(0) { $0 + d($1["SizeRw"]) }
    let cActive = containers.filter { $0["State"]?.stringValue == "running" }
    let cReclaim = cTotal - cActive.reduce(0) { $0 + d($1["SizeRw"]) }
    let vTotal = volumes.reduce(0) { $0 + max(0, d($1["UsageData"]?["Size"])) }
    let vActive = volumes.filter { ($0["UsageData"]?["RefCount"]?.intValue ?? 0) > 0 }
    let vReclaim = vTotal - vActive.reduce(0) { $0 + max(0, d($1["UsageData"]?["Size"])) }
    let bTotal = cache.reduce(0) { $0 + d($1["Size"]) }
    func row(_ type: String, _ total: Int, _ active: Int, _ size: Double, _ r: String) -> JSON {
      .object([
        .init("Active", .string(String(active))), .init("Reclaimable", .string(r)),
        .init("Size", .string(Units.humanSize(size))), .init("TotalCount", .string(String(total))),
        .init("Type", .string(type)),
      ])
    }
    let rows = [
      row("Images", images.count, imgActive, imgTotal, reclaim(max(0, imgReclaim), imgTotal)),
      row("Containers", containers.count, cActive.count, cTotal, reclaim(cReclaim, cTotal)),
      row("Local Volumes", volumes.count, vActive.count, vTotal, reclaim(vReclaim, vTotal)),
      row("Build Cache", cache.count, 0, bTotal, Units.humanSize(bTotal)),
    ]
    let formatter = ListFormatter(
      defaultTable: "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
      headers: [
        "Type": "TYPE", "TotalCount": "TOTAL", "Active": "ACTIVE", "Size": "SIZE", "Reclaimable": "RECLAIMABLE",
      ])
    ctx.out(try formatter.render(format: flags.string("format"), rows: rows))
    return 0
  }

  static let prune = Command(
    CommandSpec(
      "system prune", usage: "[OPTIONS]", summary: "Remove unused data",
      flags: [
        .bool("all", "a", "Remove all unused images not just dangling ones"),
        .list("filter", nil, "Provide filter values (e.g. \"label=<key>=<value>\")"),
        .bool("force", "f", "Do not prompt for confirmation"),
        .bool("volumes", nil, "Prune anonymous volumes"),
      ], arguments: .none)
  ) { ctx, flags in
    let client = try ctx.client()
    var total = 0.0
    let filters = try filtersQuery(flags.all("filter"))
    let containers = try client.json("POST", "/containers/prune", query: filters)
    let deletedContainers = containers["ContainersDeleted"]?.stringArray ?? []
    if !deletedContainers.isEmpty {
      ctx.outLine("Deleted Containers:")
      for c in deletedContainers { ctx.outLine(c) }
      ctx.outLine("")
    }
    total += containers["SpaceReclaimed"]?.doubleValue ?? 0
    if flags.bool("volumes") {
      let volumes = try client.json("POST", "/volumes/prune", query: filters)
      let deleted = volumes["VolumesDeleted"]?.stringArray ?? []
      if !deleted.isEmpty {
        ctx.outLine("Deleted Volumes:")
        for v in deleted { ctx.outLine(v) }
        ctx.outLine("")
      }
      total += volumes["SpaceReclaimed"]?.doubleValue ?? 0
    }
    var imageFilters = flags.all("filter")
    imageFilters.append("dangling=\(flags.bool("all") ? "false" : "true")")
    let images = try client.json("POST", "/images/prune", query: try filtersQuery(imageFilters))
    let deletedImages = images["ImagesDeleted"]?.arrayValue ?? []
    if !deletedImages.isEmpty {
      ctx.outLine("Deleted Images:")
      for item in deletedImages {
        if let u = item["Untagged"]?.stringValue { ctx.outLine("untagged: \(u)") }
        if let d = item["Deleted"]?.stringValue { ctx.outLine("deleted: \(d)") }
      }
      ctx.outLine("")
    }
    total += images["SpaceReclaimed"]?.doubleValue ?? 0
    ctx.outLine("Total reclaimed space: \(Units.humanSize(total))")
    return 0
  }

  static let containerPrune = Command(
    CommandSpec(
      "container prune", usage: "[OPTIONS]", summary: "Remove all stopped containers",
      flags: [
        .list("filter", nil, "Provide filter values (e.g. \"until=<timestamp>\")"),
        .bool("force", "f", "Do not prompt for confirmation"),
      ], arguments: .none)
  ) { ctx, flags in
    let result = try ctx.client().json("POST", "/containers/prune", query: try filtersQuery(flags.all("filter")))
    let deleted = result["ContainersDeleted"]?.stringArray ?? []
    if !deleted.isEmpty {
      ctx.outLine("Deleted Containers:")
      for c in deleted { ctx.outLine(c) }
      ctx.outLine("")
    }
    ctx.outLine("Total reclaimed space: \(Units.humanSize(result["SpaceReclaimed"]?.doubleValue ?? 0))")
    return 0
  }
}
