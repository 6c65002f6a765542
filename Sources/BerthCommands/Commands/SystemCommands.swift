import EngineClient

enum SystemCommands {
  static let df = Command(
    CommandSpec(
      "system df", usage: "[OPTIONS]", summary: "Show berth disk usage",
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
        .typed("filter", "filter", nil, "Provide filter values (e.g. \"label=<key>=<value>\")"),
        .bool("force", "f", "Do not prompt for confirmation"),
        .bool("volumes", nil, "Prune anonymous volumes"),
      ], arguments: .none)
  ) { ctx, flags in
    let all = flags.bool("all")
    let filters = flags.all("filter")
    if !flags.bool("force") && !ctx.confirm(pruneWarning(all: all, volumes: flags.bool("volumes"), filters: filters)) {
      return 0
    }
    // docker's order: containers, networks, volumes, images, build cache.
    var total = try Pruning.containers(ctx, filters: filters)
    total += try Pruning.networks(ctx, filters: filters)
    if flags.bool("volumes") { total += try Pruning.volumes(ctx, filters: filters) }
    total += try Pruning.images(ctx, all: all, filters: filters)
    total += try Pruning.buildCache(ctx, all: all, filters: filters)
    Pruning.total(ctx, total)
    return 0
  }

  /// docker's warning for `system prune`, listing what the flags select.
  static func pruneWarning(all: Bool, volumes: Bool, filters: [String]) -> String {
    var text =
      "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n"
    if volumes { text += "  - all anonymous volumes not used by at least one container\n" }
    text +=
      all
      ? "  - all images without at least one container associated to them\n  - all build cache\n"
      : "  - all dangling images\n  - unused build cache\n"
    if !filters.isEmpty {
      text += "\n  Items to be pruned will be filtered with:\n"
      for f in filters { text += "  - \(f)\n" }
    }
    return text + "\nAre you sure you want to continue?"
  }

  static let containerPrune = Command(
    CommandSpec(
      "container prune", usage: "[OPTIONS]", summary: "Remove all stopped containers",
      flags: [
        .typed("filter", "filter", nil, "Provide filter values (e.g. \"until=<timestamp>\")"),
        .bool("force", "f", "Do not prompt for confirmation"),
      ], arguments: .none)
  ) { ctx, flags in
    if !flags.bool("force")
      && !ctx.confirm("WARNING! This will remove all stopped containers.\nAre you sure you want to continue?")
    {
      return 0
    }
    Pruning.total(ctx, try Pruning.containers(ctx, filters: flags.all("filter")))
    return 0
  }

  static let builderPrune = Command(
    CommandSpec(
      "builder prune", usage: "[OPTIONS]", summary: "Remove build cache",
      flags: [
        .bool("all", "a", "Remove all unused build cache, not just dangling ones"),
        .typed("filter", "filter", nil, "Provide filter values (e.g. \"until=24h\")"),
        .bool("force", "f", "Do not prompt for confirmation"),
      ], arguments: .none)
  ) { ctx, flags in
    let warning =
      flags.bool("all")
      ? "WARNING! This will remove all build cache."
      : "WARNING! This will remove all dangling build cache."
    if !flags.bool("force") && !ctx.confirm(warning + " Are you sure you want to continue?") { return 0 }
    Pruning.total(ctx, try Pruning.buildCache(ctx, all: flags.bool("all"), filters: flags.all("filter")))
    return 0
  }
}
