// A container's networking, as the container area asks for it: validated at create, made
// at start (a network namespace, an endpoint on each network, published ports), removed
// at exit, and shown in inspect and ps.
import BerthNetwork
import EngineAPI
import LinuxOS

/// What a start got: the namespace for the spec, the endpoints, and the sockets holding
/// the published host ports (handed to the shim, which keeps them for the container's life).
struct ContainerNetworking: Sendable {
  var netnsPath: String
  var endpoints: [EndpointInfo]
  var reservations: [PortReservation.Reserved]
  /// The resolver's socket on 127.0.0.11:53 in the namespace (a container on a user network).
  var resolverFD: Int32?
  /// What `host-gateway` means for it, and the hosts lines of its `--link`s.
  var hostGateway: String?
  var links: [String] = []

  /// What the shim holds: the resolver's socket first (the shim's fd 5), then the ports'.
  var heldFDs: [Int32] { (resolverFD.map { [$0] } ?? []) + reservations.map(\.fd).filter { $0 >= 0 } }

  /// berthd's copies, once the shim holds them (or the start failed).
  func closeHeldFDs() {
    for fd in heldFDs { FD.close(fd) }
  }
}

extension NetworkArea {
  /// The network the network mode names ("bridge" for the default one; nil with
  /// `--bridge none`, or for none, host and container:).
  func modeNetwork(_ s: ContainerSettings) -> String? {
    guard (try? SpecBuilder.networkPlan(s.networkMode)) == .sandbox else { return nil }
    let mode = s.networkMode ?? ""
    if mode.isEmpty || mode == "default" { return hasDefaultBridge ? Self.defaultBridgeName : nil }
    return mode
  }

  /// At create: the networks the container joins, as `endpoints` keeps them from then on
  /// (connect adds one, disconnect removes one; the network mode stays as it was, as
  /// dockerd's): EndpointsConfig's, and the mode's network with the wishes given for it.
  func initialEndpoints(_ s: ContainerSettings) -> [String: EndpointRequest] {
    var out = s.endpoints ?? [:]
    let defaultWish = out.removeValue(forKey: "default")
    guard let mode = modeNetwork(s) else { return out }
    let modeID = controller.network(mode)?.config.id
    let named = out.keys.first { $0 == mode || (modeID != nil && controller.network($0)?.config.id == modeID) }
    if named == nil { out[mode] = defaultWish ?? EndpointRequest() }
    return out
  }

  /// The networks the container joins at start, the network mode's first; empty for
  /// `none`, `host` and `container:` (and the default network with `--bridge none`).
  func networks(for s: ContainerSettings) throws -> [String] {
    guard case .sandbox = try SpecBuilder.networkPlan(s.networkMode) else { return [] }
    let mode = modeNetwork(s)
    // Records from before `endpoints` was kept at create: the mode's network alone.
    guard let endpoints = s.endpoints else { return mode.map { [$0] } ?? [] }
    var names = endpoints.keys.sorted()
    let modeID = mode.flatMap { controller.network($0)?.config.id }
    if let i = names.firstIndex(where: { $0 == mode || (modeID != nil && controller.network($0)?.config.id == modeID) })
    {
      names.insert(names.remove(at: i), at: 0)
    }
    return names
  }

  /// At create: the ports parse, the addresses asked for are addresses. Whether the
  /// networks exist is a question for the start, as dockerd asks it (a create naming a
  /// missing network succeeds; its start fails with a 404).
  func validate(_ s: ContainerSettings) throws {
    if try SpecBuilder.networkPlan(s.networkMode) == .sandbox { _ = try Self.portRequests(s) }
    for (name, wish) in s.endpoints ?? [:] { _ = try Self.endpointOptions(wish, network: name) }
  }

  /// -p and -P as the library takes them: every binding, and with -P every exposed port
  /// without one on an ephemeral host port.
  static func portRequests(_ s: ContainerSettings) throws -> [PortRequest] {
    var out: [PortRequest] = []
    do {
      for (key, bindings) in (s.portBindings ?? [:]).sorted(by: { $0.key < $1.key }) {
        for b in bindings {
          out.append(try PortRequest.parse(containerPort: key, hostIP: b.hostIP ?? "", hostPort: b.hostPort ?? ""))
        }
      }
      if s.publishAllPorts {
        let bound = Set((s.portBindings ?? [:]).filter { !$0.value.isEmpty }.keys)
        for key in (s.exposedPorts ?? []).sorted() where !bound.contains(key) {
          out.append(try PortRequest.parse(containerPort: key, hostIP: "", hostPort: ""))
        }
      }
    } catch {
      throw networkEngineError(error)
    }
    return out
  }

  static func endpointOptions(_ wish: EndpointRequest?, network: String) throws -> EndpointOptions {
    var options = EndpointOptions(aliases: wish?.aliases ?? [])
    func address(_ text: String?) throws -> IPAddress? {
      guard let text else { return nil }
      guard let ip = IPAddress(text) else { throw EngineError.badParameter("invalid IP address \(text) (\(network))") }
      return ip
    }
    options.ipv4 = try address(wish?.ipv4)
    options.ipv6 = try address(wish?.ipv6)
    if let text = wish?.mac {
      guard let mac = MACAddress(text) else { throw EngineError.badParameter("invalid MAC address: \(text)") }
      options.mac = mac
    }
    return options
  }

  /// Blocking (run it on the pool). Makes the container's namespace, attaches it to its
  /// networks, publishes its ports; nil when the container has no network to join. On
  /// failure nothing is left.
  func connectAtStart(_ id: String, settings s: ContainerSettings) throws -> ContainerNetworking? {
    let mode = s.networkMode ?? ""
    if mode == Self.defaultBridgeName && !hasDefaultBridge { throw EngineError.notFound("network bridge not found") }
    let names = try networks(for: s)
    guard !names.isEmpty else { return nil }
    for name in names { _ = try record(network: name) }
    if names.first == Self.defaultBridgeName && controller.network(Self.defaultBridgeName) == nil {
      throw EngineError.internal("the default bridge network could not be set up; see berthd's log")
    }
    let wishes = s.endpoints ?? [:]
    // A namespace left by a start that did not finish goes first.
    release(id)
    do {
      let path = try controller.createSandbox(id)
      var endpoints: [EndpointInfo] = []
      for name in names {
        let wish = wishes[name]
        endpoints.append(
          try controller.attach(
            container: id, netnsPath: path, network: name, options: try Self.endpointOptions(wish, network: name)))
      }
      let requests = try Self.portRequests(s)
      let published = requests.isEmpty ? nil : try controller.publish(container: id, requests)
      var networking = ContainerNetworking(
        netnsPath: path, endpoints: controller.endpoints(of: id), reservations: published?.reservations ?? [],
        hostGateway: hostGateway, links: try linkEntries(s))
      if wantsResolver(endpoints) {
        do {
          networking.resolverFD = try ResolverSocket.bind(in: path)
        } catch {
          networking.closeHeldFDs()
          throw error
        }
        refreshDNS()
      }
      return networking
    } catch {
      release(id)
      throw networkEngineError(error)
    }
  }

  /// The default bridge's gateway: the host as containers reach it (`host-gateway`).
  var hostGateway: String? { controller.network(Self.defaultBridgeName)?.ipv4?.gateway.map { "\($0)" } }

  /// Hosts lines for `--link name[:alias]`: the linked container's address on the default
  /// bridge, named by the alias, its name and its short id (it must be running, as dockerd says).
  func linkEntries(_ s: ContainerSettings) throws -> [String] {
    try (s.links ?? []).map { link in
      let parts = link.split(separator: ":", maxSplits: 1).map(String.init)
      let name = parts[0].hasPrefix("/") ? String(parts[0].dropFirst()) : parts[0]
      let alias = parts.count == 2 ? parts[1].split(separator: "/").last.map(String.init) ?? parts[1] : name
      guard let other = try? containers.get(name) else {
        throw EngineError.badParameter("could not get container for \(name)")
      }
      guard other.state.isRunning,
        let address = controller.endpoints(of: other.id).first(where: {
          networkName($0.network) == Self.defaultBridgeName
        })?.ipv4
      else {
        throw EngineError.badParameter("Cannot link to a non running container: /\(other.shortName) AS \(alias)")
      }
      let names = alias == other.shortName ? [alias] : [alias, other.shortName]
      return "\(address.address)\t" + (names + [String(other.id.prefix(12))]).joined(separator: " ")
    }
  }

  /// Blocking and idempotent: the container's endpoints, leases, port rules and namespace go.
  func release(_ id: String) {
    let hadResolver = wantsResolver(controller.endpoints(of: id))
    // The namespace dies with its file unless a container that joined it (container:)
    // still runs in it; then its veths are deleted one by one.
    let shared = containers.all().contains { r in
      guard r.state.isRunning, let mode = r.settings.networkMode, mode.hasPrefix("container:") else { return false }
      return (try? containers.get(String(mode.dropFirst("container:".count))))?.id == id
    }
    let namespaceGoes = Files.exists(controller.sandboxPath(id)) && !shared
    do {
      try controller.detachAll(container: id, namespaceGoes: namespaceGoes)
    } catch {
      DaemonLog.engine.error("detaching container \(id) from its networks failed: \(error)")
    }
    if hadResolver {
      removeTable(id)
      refreshDNS()
    }
    guard Files.exists(controller.sandboxPath(id)) else { return }
    do {
      try controller.deleteSandbox(id)
    } catch {
      DaemonLog.engine.error("removing the network namespace of container \(id) failed: \(error)")
    }
  }

  /// At berthd's start, after the containers' own restore: what live containers hold stays.
  func restore(liveContainers: Set<String>) async {
    let controller = controller
    // No network, no endpoint: nothing to settle, and the host's nftables stay untouched
    // (a berthd with `--bridge none` and no networks never writes Berth's table).
    let endpointRecords = (try? Files.list(config.execRoot + "/network/endpoints")) ?? []
    guard !controller.allNetworks().isEmpty || !endpointRecords.isEmpty else { return }
    do {
      try await BlockingPool.shared.run { try controller.restore(liveContainers: liveContainers) }
    } catch {
      DaemonLog.engine.error("restoring the networks failed: \(error)")
    }
  }

  // MARK: what inspect and ps show

  /// NetworkSettings of inspect: the live endpoints, else the networks the container joins.
  func networkSettings(_ record: ContainerRecord) -> NetworkSettings {
    var out = NetworkSettings()
    let endpoints = controller.endpoints(of: record.id)
    if !endpoints.isEmpty {
      out.sandboxID = record.id
      out.sandboxKey = controller.sandboxPath(record.id)
    }
    out.ports = Self.exposed(record.settings)
    for e in endpoints {
      for m in e.ports {
        let key = "\(m.containerPort)/\(m.proto.rawValue)"
        var list: [EngineAPI.PortBinding] = out.ports[key].flatMap { $0 } ?? []
        list.append(EngineAPI.PortBinding(hostIp: Self.hostIP(m), hostPort: "\(m.hostPort)"))
        out.ports[key] = .some(list)
      }
    }
    for (name, settings) in endpointSettings(record, endpoints) { out.networks[name] = settings }
    if let first = endpoints.first, let name = networkName(first.network), name == Self.defaultBridgeName {
      // The top-level fields describe the default bridge's endpoint only, as dockerd's.
      let s = out.networks[name] ?? EndpointSettings()
      out.endpointID = s.endpointID ?? ""
      out.gateway = s.gateway ?? ""
      out.ipAddress = s.ipAddress ?? ""
      out.ipPrefixLen = s.ipPrefixLen ?? 0
      out.macAddress = s.macAddress ?? ""
      out.globalIPv6Address = s.globalIPv6Address ?? ""
      out.globalIPv6PrefixLen = s.globalIPv6PrefixLen ?? 0
      out.ipv6Gateway = s.ipv6Gateway ?? ""
    }
    return out
  }

  /// ps's Ports (published first, then exposed ones without a binding) and Networks.
  func summary(_ record: ContainerRecord) -> (ports: [Port], networks: [String: EndpointSettings]) {
    let endpoints = controller.endpoints(of: record.id)
    var ports: [Port] = []
    var published = Set<String>()
    for m in endpoints.flatMap(\.ports) {
      ports.append(
        Port(
          ip: Self.hostIP(m), privatePort: Int(m.containerPort), publicPort: Int(m.hostPort),
          type: m.proto.rawValue))
      published.insert("\(m.containerPort)/\(m.proto.rawValue)")
    }
    for key in Self.exposed(record.settings).keys.sorted() where !published.contains(key) {
      let parts = key.split(separator: "/")
      if let port = parts.first.flatMap({ Int($0) }) {
        ports.append(Port(privatePort: port, type: parts.count > 1 ? String(parts[1]) : "tcp"))
      }
    }
    return (ports, endpointSettings(record, endpoints))
  }

  /// The container's exposed ports ("80/tcp" → nil), as inspect lists those not published.
  static func exposed(_ s: ContainerSettings) -> [String: [EngineAPI.PortBinding]?] {
    var out: [String: [EngineAPI.PortBinding]?] = [:]
    for key in (s.exposedPorts ?? []) + Array((s.portBindings ?? [:]).keys) {
      out[key.contains("/") ? key : key + "/tcp"] = .some(nil)
    }
    return out
  }

  /// A mapping's host address as dockerd shows it: 0.0.0.0 or :: for "every address".
  static func hostIP(_ m: PortMapping) -> String { m.hostIP.map { "\($0)" } ?? (m.containerIP.isV4 ? "0.0.0.0" : "::") }

  func networkName(_ id: String) -> String? { controller.network(id)?.config.name }

  private func endpointSettings(_ record: ContainerRecord, _ endpoints: [EndpointInfo]) -> [String: EndpointSettings] {
    var out: [String: EndpointSettings] = [:]
    let mode = record.settings.networkMode ?? ""
    switch mode {
    case "host", "none": out[mode] = EndpointSettings(networkID: predefinedIDs[mode] ?? "")
    default:
      for name in (try? networks(for: record.settings)) ?? [] {
        let n = controller.network(name)
        out[n?.config.name ?? name] = EndpointSettings(
          aliases: record.settings.endpoints?[name]?.aliases, networkID: n?.config.id ?? "")
      }
    }
    for e in endpoints {
      guard let name = networkName(e.network) else { continue }
      var s = out[name] ?? EndpointSettings()
      s.networkID = e.network
      s.endpointID = Self.endpointID(e)
      s.macAddress = "\(e.mac)"
      s.ipAddress = e.ipv4.map { "\($0.address)" } ?? ""
      s.ipPrefixLen = e.ipv4.map { Int($0.prefix) } ?? 0
      s.gateway = e.gateway4.map { "\($0)" } ?? ""
      s.globalIPv6Address = e.ipv6.map { "\($0.address)" } ?? ""
      s.globalIPv6PrefixLen = e.ipv6.map { Int($0.prefix) } ?? 0
      s.ipv6Gateway = e.gateway6.map { "\($0)" } ?? ""
      s.dnsNames = name == Self.defaultBridgeName ? nil : [record.shortName, String(record.id.prefix(12))] + e.aliases
      out[name] = s
    }
    return out
  }
}
