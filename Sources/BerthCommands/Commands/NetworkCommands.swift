import EngineClient

/// `berth network create|ls|inspect|rm|prune|connect|disconnect` (the /networks API).
enum NetworkCommands {
  static let formatHelp =
    "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"

  static let create = Command(
    CommandSpec(
      "network create", usage: "[OPTIONS] NETWORK", summary: "Create a network",
      flags: [
        .bool("attachable", nil, "Enable manual container attachment"),
        .typed("map", "aux-address", nil, "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
        .string("config-from", nil, "The network from which to copy the configuration"),
        .bool("config-only", nil, "Create a configuration only network"),
        .string("driver", "d", "Driver to manage the Network", default: "\"bridge\""),
        .typed("strings", "gateway", nil, "IPv4 or IPv6 Gateway for the master subnet"),
        .bool("ingress", nil, "Create swarm routing-mesh network"),
        .bool("internal", nil, "Restrict external access to the network"),
        .typed("strings", "ip-range", nil, "Allocate container ip from a sub-range"),
        .string("ipam-driver", nil, "IP Address Management Driver", default: "\"default\""),
        .typed("map", "ipam-opt", nil, "Set IPAM driver specific options"),
        .bool("ipv4", nil, "Enable or disable IPv4 address assignment (default true)"),
        .bool("ipv6", nil, "Enable or disable IPv6 address assignment"),
        .list("label", nil, "Set metadata on a network"),
        .typed("map", "opt", "o", "Set driver specific options"),
        .string("scope", nil, "Control the network's scope"),
        .typed("strings", "subnet", nil, "Subnet in CIDR format that represents a network segment"),
      ], arguments: .exactly(1))
  ) { ctx, flags in
    func strings(_ name: String) -> [String] {
      flags.all(name).flatMap { $0.split(separator: ",").map(String.init) }
    }
    var ipamConfig = try IPAMOptions.config(
      subnets: strings("subnet"), ranges: strings("ip-range"), gateways: strings("gateway"))
    let aux = keyValues(flags.all("aux-address"))
    if !aux.isEmpty, !ipamConfig.isEmpty {
      // Auxiliary addresses go with the first subnet that holds them, as docker's.
      for (name, address) in aux.sorted(by: { $0.key < $1.key }) {
        guard let bytes = CIDR.bytes(address),
          let i = ipamConfig.indices.first(where: {
            CIDR(ipamConfig[$0]["Subnet"]?.stringValue ?? "")?.contains(bytes) ?? false
          })
        else { throw CommandError.failure("no matching subnet for aux-address \(address)") }
        var entry = ipamConfig[i]
        var map = entry["AuxiliaryAddresses"]?.objectValue ?? []
        map.append(JSON.Member(name, .string(address)))
        entry.set("AuxiliaryAddresses", .object(map))
        ipamConfig[i] = entry
      }
    }
    func stringMap(_ pairs: [String]) -> JSON {
      var members: [JSON.Member] = []
      for item in pairs {
        let kv = keyValues([item]).first
        guard let kv else { continue }
        members.removeAll { $0.key == kv.key }
        members.append(JSON.Member(kv.key, .string(kv.value)))
      }
      return .object(members)
    }
    var body: [JSON.Member] = [
      .init("Driver", .string(flags.string("driver") ?? "bridge")),
      .init("Scope", .string(flags.string("scope") ?? "")),
    ]
    if flags.isSet("ipv4") { body.append(.init("EnableIPv4", .bool(flags.bool("ipv4")))) }
    if flags.isSet("ipv6") { body.append(.init("EnableIPv6", .bool(flags.bool("ipv6")))) }
    body += [
      .init(
        "IPAM",
        .object([
          .init("Driver", .string(flags.string("ipam-driver") ?? "default")),
          .init("Options", stringMap(flags.all("ipam-opt"))), .init("Config", .array(ipamConfig)),
        ])),
      .init("Internal", .bool(flags.bool("internal"))), .init("Attachable", .bool(flags.bool("attachable"))),
      .init("Ingress", .bool(flags.bool("ingress"))), .init("ConfigOnly", .bool(flags.bool("config-only"))),
      .init("ConfigFrom", flags.string("config-from").map { .object([.init("Network", .string($0))]) } ?? .null),
      .init("Options", stringMap(flags.all("opt"))), .init("Labels", stringMap(flags.all("label"))),
      .init("Name", .string(flags.positionals[0])),
    ]
    let answer = try ctx.client().json("POST", "/networks/create", body: .json(.object(body)))
    if let warning = answer["Warning"]?.stringValue, !warning.isEmpty { ctx.errLine(warning) }
    ctx.outLine(answer["Id"]?.stringValue ?? "")
    return 0
  }

  static let list = Command(
    CommandSpec(
      "network ls", usage: "[OPTIONS]", summary: "List networks", aliases: ["network ls", "network list"],
      flags: [
        .typed("filter", "filter", "f", "Provide filter values (e.g. \"driver=bridge\")"),
        .string("format", nil, formatHelp),
        .bool("no-trunc", nil, "Do not truncate the output"),
        .bool("quiet", "q", "Only display network IDs"),
      ], arguments: .none)
  ) { ctx, flags in
    let answer = try ctx.client().json("GET", "/networks", query: try filtersQuery(flags.all("filter")))
    let networks = (answer.arrayValue ?? []).sorted {
      NaturalOrder.less($0["Name"]?.stringValue ?? "", $1["Name"]?.stringValue ?? "")
    }
    let truncate = !flags.bool("no-trunc")
    let rows = networks.map { n -> JSON in
      let id = n["Id"]?.stringValue ?? ""
      let labels = (n["Labels"]?.objectValue ?? []).map { "\($0.key)=\($0.value.stringValue ?? "")" }
      func flag(_ key: String) -> JSON { .string((n[key]?.boolValue ?? false) ? "true" : "false") }
      return .object([
        .init("CreatedAt", .string(goTime(n["Created"]?.stringValue ?? ""))),
        .init("Driver", .string(n["Driver"]?.stringValue ?? "")),
        .init("ID", .string(truncate ? Shorten.id(id) : id)),
        .init("IPv4", flag("EnableIPv4")), .init("IPv6", flag("EnableIPv6")), .init("Internal", flag("Internal")),
        .init("Labels", .string(labels.joined(separator: ","))),
        .init("Name", .string(n["Name"]?.stringValue ?? "")),
        .init("Scope", .string(n["Scope"]?.stringValue ?? "")),
      ])
    }
    let formatter = ListFormatter(
      defaultTable: "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
      headers: [
        "ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE", "IPv4": "IPV4", "IPv6": "IPV6",
        "Internal": "INTERNAL", "Labels": "LABELS", "CreatedAt": "CREATED AT",
      ])
    ctx.out(try formatter.render(format: flags.string("format"), rows: rows, quiet: flags.bool("quiet")))
    return 0
  }

  /// An RFC 3339 time as Go's time.Time prints it ("2026-12-01 10:00:00.5 +0000 UTC").
  static func goTime(_ text: String) -> String {
    guard text.count >= 20, let t = text.firstIndex(of: "T") else { return text }
    var rest = text[text.index(after: t)...]
    var zone = "+0000 UTC"
    if rest.hasSuffix("Z") {
      rest = rest.dropLast()
    } else if rest.count > 6 {
      let offset = rest.suffix(6)
      rest = rest.dropLast(6)
      let compact = String(offset.filter { $0 != ":" })
      zone = "\(compact) \(compact)"
    }
    var clock = String(rest)
    if let dot = clock.firstIndex(of: ".") {
      var fraction = clock[clock.index(after: dot)...]
      while fraction.hasSuffix("0") { fraction = fraction.dropLast() }
      clock = String(clock[..<dot]) + (fraction.isEmpty ? "" : "." + fraction)
    }
    return "\(text[..<t]) \(clock) \(zone)"
  }

  static let inspect: Command = {
    var command = InspectCommand.typed(
      "network inspect", "network", summary: "Display detailed information on one or more networks")
    // Accepted as docker's; the extra detail it asks for is swarm-only.
    command.spec.flags.append(.bool("verbose", "v", "Verbose output for diagnostics"))
    return command
  }()

  static let remove = Command(
    CommandSpec(
      "network rm", usage: "NETWORK [NETWORK...]", summary: "Remove one or more networks",
      aliases: ["network rm", "network remove"],
      flags: [.bool("force", "f", "Do not error if the network does not exist")], arguments: .atLeast(1))
  ) { ctx, flags in
    let client = try ctx.client()
    var failed = false
    for name in flags.positionals {
      do {
        try client.call("DELETE", "/networks/\(pathEscape(name))")
        ctx.outLine(name)
      } catch let error as EngineClientError where flags.bool("force") && error.statusCode == 404 {
        continue
      } catch {
        ctx.errLine(describe(error))
        failed = true
      }
    }
    // docker ends a partial failure with its StatusError text.
    if failed { throw CommandError.status("exit status 1", 1) }
    return 0
  }

  static let prune = Command(
    CommandSpec(
      "network prune", usage: "[OPTIONS]", summary: "Remove all unused networks",
      flags: [
        .typed("filter", "filter", nil, "Provide filter values (e.g. \"until=<timestamp>\")"),
        .bool("force", "f", "Do not prompt for confirmation"),
      ], arguments: .none)
  ) { ctx, flags in
    if !flags.bool("force")
      && !ctx.confirm(
        "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?"
      )
    {
      return 0
    }
    _ = try Pruning.networks(ctx, filters: flags.all("filter"))
    return 0
  }

  static let connect = Command(
    CommandSpec(
      "network connect", usage: "[OPTIONS] NETWORK CONTAINER", summary: "Connect a container to a network",
      flags: [
        .typed("strings", "alias", nil, "Add network-scoped alias for the container"),
        .typed("strings", "driver-opt", nil, "driver options for the network"),
        .int(
          "gw-priority", nil, "Highest gw-priority provides the default gateway. Accepts positive and negative values."),
        .string("ip", nil, "IPv4 address (e.g., \"172.30.100.104\")"),
        .string("ip6", nil, "IPv6 address (e.g., \"2001:db8::33\")"),
        .list("link", nil, "Add link to another container"),
        .typed("strings", "link-local-ip", nil, "Add a link-local address for the container"),
      ], arguments: .exactly(2))
  ) { ctx, flags in
    func strings(_ name: String) -> [String] {
      flags.all(name).flatMap { $0.split(separator: ",").map(String.init) }
    }
    var ipam: [JSON.Member] = []
    if let ip = flags.string("ip"), !ip.isEmpty { ipam.append(.init("IPv4Address", .string(ip))) }
    if let ip = flags.string("ip6"), !ip.isEmpty { ipam.append(.init("IPv6Address", .string(ip))) }
    let linkLocal = strings("link-local-ip")
    if !linkLocal.isEmpty { ipam.append(.init("LinkLocalIPs", .array(linkLocal.map(JSON.string)))) }
    let links = flags.all("link")
    // The whole EndpointSettings, zero values included, as the docker CLI sends it.
    let endpoint: [JSON.Member] = [
      .init("IPAMConfig", .object(ipam)),
      .init("Links", links.isEmpty ? .null : .array(links.map(JSON.string))),
      .init("Aliases", .array(strings("alias").map(JSON.string))), .init("MacAddress", .string("")),
      .init(
        "DriverOpts",
        .object(
          keyValues(strings("driver-opt")).sorted { $0.key < $1.key }.map { JSON.Member($0.key, .string($0.value)) })),
      .init("GwPriority", .int(flags.int("gw-priority") ?? 0)), .init("NetworkID", .string("")),
      .init("EndpointID", .string("")), .init("Gateway", .string("")), .init("IPAddress", .string("")),
      .init("IPPrefixLen", .int(0)), .init("IPv6Gateway", .string("")), .init("GlobalIPv6Address", .string("")),
      .init("GlobalIPv6PrefixLen", .int(0)), .init("DNSNames", .null),
    ]
    let body = JSON.object([
      .init("Container", .string(flags.positionals[1])), .init("EndpointConfig", .object(endpoint)),
    ])
    try ctx.client().call("POST", "/networks/\(pathEscape(flags.positionals[0]))/connect", body: .json(body))
    return 0
  }

  static let disconnect = Command(
    CommandSpec(
      "network disconnect", usage: "[OPTIONS] NETWORK CONTAINER", summary: "Disconnect a container from a network",
      flags: [.bool("force", "f", "Force the container to disconnect from a network")], arguments: .exactly(2))
  ) { ctx, flags in
    let body = JSON.object([
      .init("Container", .string(flags.positionals[1])), .init("Force", .bool(flags.bool("force"))),
    ])
    try ctx.client().call("POST", "/networks/\(pathEscape(flags.positionals[0]))/disconnect", body: .json(body))
    return 0
  }
}
