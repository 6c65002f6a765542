import Glibc
import EngineClient

enum StatsCommand {
  static let spec = CommandSpec(
    "stats", usage: "[OPTIONS] [CONTAINER...]",
    summary: "Display a live stream of container(s) resource usage statistics",
    aliases: ["container stats", "stats"],
    flags: [
      .bool("all", "a", "Show all containers (default shows just running)"),
      .string(
        "format", nil,
        "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      ),
      .bool("no-stream", nil, "Disable streaming stats and only pull the first result"),
      .bool("no-trunc", nil, "Do not truncate output"),
    ])

  static let defaultTable =
    "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}"
  static let headers: [String: String] = [
    "ID": "CONTAINER ID", "Container": "CONTAINER", "Name": "NAME", "CPUPerc": "CPU %", "MemUsage": "MEM USAGE / LIMIT",
    "MemPerc": "MEM %", "NetIO": "NET I/O", "BlockIO": "BLOCK I/O", "PIDs": "PIDS",
  ]

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    var names = flags.positionals
    if names.isEmpty {
      let list = try client.json("GET", "/containers/json", query: flags.bool("all") ? [("all", "1")] : [])
      names = (list.arrayValue ?? []).compactMap { $0["Id"]?.stringValue }
    }
    let formatter = ListFormatter(defaultTable: defaultTable, headers: headers)
    let truncate = !flags.bool("no-trunc")
    let stream = !flags.bool("no-stream")
    repeat {
      var rows: [JSON] = []
      for name in names {
        let s = try client.json("GET", "/containers/\(pathEscape(name))/stats", query: [("stream", "0")])
        rows.append(row(s, container: name, truncate: truncate))
      }
      var text = try formatter.render(format: flags.string("format"), rows: rows)
      if stream { text = "\u{1B}[2J\u{1B}[H" + text }
      ctx.out(text)
      if stream { _ = Glibc.sleep(1) }
    } while stream
    return 0
  }

  static func row(_ s: JSON, container: String, truncate: Bool) -> JSON {
    func d(_ v: JSON?) -> Double { v?.doubleValue ?? 0 }
    let id = s["id"]?.stringValue ?? container
    var name = s["name"]?.stringValue ?? ""
    if name.hasPrefix("/") { name.removeFirst() }
    let cpuDelta = d(s["cpu_stats"]?["cpu_usage"]?["total_usage"]) - d(s["precpu_stats"]?["cpu_usage"]?["total_usage"])
    let systemDelta = d(s["cpu_stats"]?["system_cpu_usage"]) - d(s["precpu_stats"]?["system_cpu_usage"])
    var online = d(s["cpu_stats"]?["online_cpus"])
    if online == 0 { online = Double(s["cpu_stats"]?["cpu_usage"]?["percpu_usage"]?.arrayValue?.count ?? 1) }
    let cpu = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100 : 0
    var usage = d(s["memory_stats"]?["usage"])
    let stats = s["memory_stats"]?["stats"]
    if let inactive = stats?["total_inactive_file"]?.doubleValue, inactive < usage {
      usage -= inactive
    } else if let inactive = stats?["inactive_file"]?.doubleValue, inactive < usage {
      usage -= inactive
    }
    let limit = d(s["memory_stats"]?["limit"])
    let memPerc = limit > 0 ? usage / limit * 100 : 0
    var rx = 0.0
    var tx = 0.0
    for n in s["networks"]?.objectValue ?? [] {
      rx += d(n.value["rx_bytes"])
      tx += d(n.value["tx_bytes"])
    }
    var read = 0.0
    var write = 0.0
    for e in s["blkio_stats"]?["io_service_bytes_recursive"]?.arrayValue ?? [] {
      switch e["op"]?.stringValue?.lowercased() {
      case "read": read += d(e["value"])
      case "write": write += d(e["value"])
      default: break
      }
    }
    let pids = s["pids_stats"]?["current"]?.intValue ?? 0
    func pct(_ v: Double) -> String { Units.formatFixed(v, 2) + "%" }
    return .object([
      .init("BlockIO", .string("\(Units.humanSize(read, precision: 3)) / \(Units.humanSize(write, precision: 3))")),
      .init("CPUPerc", .string(pct(cpu))),
      .init("Container", .string(container)),
      .init("ID", .string(truncate ? Shorten.id(id) : id)),
      .init("MemPerc", .string(pct(memPerc))),
      .init("MemUsage", .string("\(Units.bytesSize(usage)) / \(Units.bytesSize(limit))")),
      .init("Name", .string(name.isEmpty ? "--" : name)),
      .init("NetIO", .string("\(Units.humanSize(rx, precision: 3)) / \(Units.humanSize(tx, precision: 3))")),
      .init("PIDs", .string(String(pids))),
    ])
  }
}
