// GET/POST/DELETE /networks: list, inspect, create, remove, prune, as dockerd answers them.
// (connect and disconnect change a container: the container area serves them.)
import BerthNetwork
import EngineAPI

extension NetworkArea {
  public func listNetworks(filters: Filters) async throws -> [NetworkResource] {
    try filters.validate(allowed: ["name", "id", "driver", "label", "type", "scope", "dangling"])
    let all = allResources()
    return all.filter { n in
      let builtin = Self.predefinedDrivers[n.name] != nil
      if !filters.values("name").isEmpty && !filters.values("name").contains(where: { n.name.contains($0) }) {
        return false
      }
      if !filters.values("id").isEmpty && !filters.values("id").contains(where: { n.id.hasPrefix($0) }) { return false }
      if !filters.matchAny("driver", [n.driver]) { return false }
      if !filters.matchAny("scope", [n.scope]) { return false }
      if !filters.matchLabels(n.labels) { return false }
      for type in filters.values("type") {
        guard type == "custom" || type == "builtin" else { return false }
        if (type == "builtin") != builtin { return false }
      }
      if let dangling = filters.values("dangling").first {
        if (dangling == "true" || dangling == "1") != (!builtin && n.containers.isEmpty) { return false }
      }
      return true
    }
  }

  public func inspectNetwork(id: String) async throws -> NetworkResource {
    if let name = predefined(id), let resource = allResources().first(where: { $0.name == name }) { return resource }
    return resource(try record(network: id))
  }

  public func createNetwork(request: NetworkCreateRequest) async throws -> NetworkCreateResponse {
    guard let name = request.name, !name.isEmpty else {
      throw EngineError.badParameter("network name must not be empty")
    }
    let driver = request.driver.flatMap { $0.isEmpty ? nil : $0 } ?? "bridge"
    guard driver == "bridge" else {
      throw EngineError.notFound("plugin \"\(driver)\" not found")
    }
    if predefinedIDs[name] != nil || name == Self.defaultBridgeName {
      throw EngineError.forbidden("operation is not permitted on predefined \(name) network ")
    }
    if controller.network(name) != nil { throw EngineError.conflict("network with name \(name) already exists") }
    if request.configOnly == true || request.ingress == true {
      throw EngineError.notImplemented("config-only and ingress networks are swarm features Berth does not have")
    }
    let subnets = try (request.ipam?.config ?? []).map(Self.subnetRequest)
    let config = NetworkConfig(
      id: ContainerStore.newID(), name: name, subnets: subnets.isEmpty ? [SubnetRequest()] : subnets,
      isInternal: request.isInternal ?? false, enableIPv6: request.enableIPv6 ?? false, labels: request.labels ?? [:],
      options: request.options ?? [:], created: Timestamps.now())
    let controller = controller
    do {
      try await BlockingPool.shared.run { try controller.createNetwork(config) }
    } catch {
      throw networkEngineError(error)
    }
    emit("network", "create", id: config.id, ["name": name, "type": driver])
    return NetworkCreateResponse(id: config.id)
  }

  static func subnetRequest(_ c: NetworkIPAMConfig) throws -> SubnetRequest {
    func parse(_ text: String?, _ what: String) throws -> Subnet? {
      guard let text, !text.isEmpty else { return nil }
      guard let subnet = Subnet(text) else { throw EngineError.badParameter("invalid \(what): \(text)") }
      return subnet
    }
    let subnet = try parse(c.subnet, "subnet")
    var gateway: IPAddress?
    if let text = c.gateway, !text.isEmpty {
      guard let ip = IPAddress(text) else { throw EngineError.badParameter("invalid gateway: \(text)") }
      gateway = ip
    }
    let range = try parse(c.ipRange, "ip-range")
    guard subnet != nil || (gateway == nil && range == nil) else {
      throw EngineError.badParameter("a gateway or ip-range needs a subnet")
    }
    return SubnetRequest(
      subnet: subnet?.canonical, gateway: gateway, range: range?.canonical,
      isV6: subnet.map { !$0.isV4 } ?? gateway.map { !$0.isV4 } ?? false)
  }

  public func removeNetwork(id: String) async throws {
    if let name = predefined(id) ?? (controller.network(id)?.config.name == Self.defaultBridgeName ? "bridge" : nil) {
      throw EngineError.forbidden("\(name) is a pre-defined network and cannot be removed")
    }
    let record = try record(network: id)
    try await deleteNetwork(record)
  }

  private func deleteNetwork(_ record: NetworkRecord) async throws {
    let controller = controller
    do {
      try await BlockingPool.shared.run { try controller.deleteNetwork(record.config.id) }
    } catch NetworkError.activeEndpoints {
      throw EngineError.forbidden(
        "error while removing network: network \(record.config.name) id \(record.config.id) has active endpoints")
    } catch {
      throw networkEngineError(error)
    }
    emit("network", "destroy", id: record.config.id, ["name": record.config.name, "type": "bridge"])
  }

  public func pruneNetworks(filters: Filters) async throws -> NetworkPruneResponse {
    try filters.validate(allowed: ["until", "label", "label!"])
    let until = try filters.pruneUntil(now: Timestamps.nowSeconds(), parseTimestamp: Timestamps.parse)
    var deleted: [String] = []
    for record in controller.allNetworks() where record.config.name != Self.defaultBridgeName {
      if let until, let created = record.config.created.flatMap(Timestamps.parse), created >= until { continue }
      guard filters.matchLabels(record.config.labels), filters.passesNegatedLabels(record.config.labels) else {
        continue
      }
      guard endpointCount(record.config.id) == 0 else { continue }
      do {
        try await deleteNetwork(record)
        deleted.append(record.config.name)
      } catch {
        // dockerd skips a network it cannot remove and goes on with the others.
        DaemonLog.engine.warning("prune: could not remove network \(record.config.name): \(error)")
      }
    }
    emit("network", "prune", id: "")
    return NetworkPruneResponse(networksDeleted: deleted)
  }

  func endpointCount(_ network: String) -> Int {
    containers.all().reduce(0) { count, r in
      count + controller.endpoints(of: r.id).filter { $0.network == network }.count
    }
  }

  // MARK: answers

  func allResources() -> [NetworkResource] {
    var out = controller.allNetworks().sorted { $0.config.name < $1.config.name }.map(resource)
    for (name, id) in predefinedIDs.sorted(by: { $0.key < $1.key }) {
      out.append(
        NetworkResource(
          name: name, id: id, created: "0001-01-01T00:00:00Z", driver: Self.predefinedDrivers[name] ?? "null",
          ipam: NetworkIPAM(driver: "default", config: [])))
    }
    return out
  }

  func resource(_ record: NetworkRecord) -> NetworkResource {
    let config = record.config
    var containersOn: [String: NetworkContainer] = [:]
    for r in containers.all() {
      for e in controller.endpoints(of: r.id) where e.network == config.id {
        containersOn[r.id] = NetworkContainer(
          name: r.shortName, endpointID: Self.endpointID(e), macAddress: "\(e.mac)",
          ipv4Address: e.ipv4.map { "\($0)" } ?? "", ipv6Address: e.ipv6.map { "\($0)" } ?? "")
      }
    }
    var options = config.options
    if config.name == Self.defaultBridgeName { options["com.docker.network.bridge.default_bridge"] = "true" }
    return NetworkResource(
      name: config.name, id: config.id, created: config.created ?? "0001-01-01T00:00:00Z", driver: "bridge",
      enableIPv6: config.enableIPv6,
      ipam: NetworkIPAM(
        driver: "default",
        config: record.subnets.map {
          NetworkIPAMConfig(
            subnet: "\($0.subnet)", ipRange: $0.range.map { "\($0)" }, gateway: $0.gateway.map { "\($0)" })
        }, options: [:]),
      isInternal: config.isInternal, containers: containersOn, options: options, labels: config.labels)
  }

  /// An endpoint's id (64 hex digits, as dockerd's): derived from the container and the
  /// network, so it is the same in every answer while the endpoint exists.
  static func endpointID(_ e: EndpointInfo) -> String {
    let seed = e.container + "/" + e.network
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in seed.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex + e.container.prefix(48)
  }
}
