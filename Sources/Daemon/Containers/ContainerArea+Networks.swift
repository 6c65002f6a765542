// POST /networks/{id}/connect and /disconnect: a container joins or leaves a network, at
// once when it runs and from its next start on either way (its record keeps the choice).
import BerthNetwork
import EngineAPI
import LinuxOS

extension ContainerArea {
  func connect(network ref: String, request: NetworkConnectRequest) async throws {
    let (id, network) = try networkChangeTargets(ref, request.container)
    let wish = EndpointRequest(request.endpointConfig)
    let options = try NetworkArea.endpointOptions(wish, network: network.config.name)
    try await transition(id) {
      let r = try record(id)
      try Self.checkOwnNamespace(r.settings, network: network.config.name)
      let joined = try networkArea.networks(for: r.settings).compactMap {
        networkArea.controller.network($0)?.config.id
      }
      if joined.contains(network.config.id) {
        throw EngineError.forbidden(
          "endpoint with name \(r.shortName) already exists in network \(network.config.name)")
      }
      if r.state.isRunning {
        let controller = networkArea.controller
        let path = Files.exists(controller.sandboxPath(id)) ? controller.sandboxPath(id) : "/proc/\(r.state.pid)/ns/net"
        do {
          _ = try await BlockingPool.shared.run {
            try controller.attach(container: id, netnsPath: path, network: network.config.id, options: options)
          }
        } catch {
          throw networkEngineError(error)
        }
      }
      try containers.update(id) { record in
        var endpoints = record.settings.endpoints ?? [:]
        endpoints[network.config.name] = wish
        record.settings.endpoints = endpoints
      }
      if r.state.isRunning {
        let area = networkArea
        await BlockingPool.shared.run { area.refreshDNS() }
      }
    }
    emit("network", "connect", id: network.config.id, ["container": id, "name": network.config.name, "type": "bridge"])
  }

  func disconnect(network ref: String, request: NetworkDisconnectRequest) async throws {
    let (id, network) = try networkChangeTargets(ref, request.container)
    try await transition(id) {
      let r = try record(id)
      let names = try networkArea.networks(for: r.settings)
      guard let joinedAs = names.first(where: { networkArea.controller.network($0)?.config.id == network.config.id })
      else {
        throw EngineError.badParameter("container \(r.id) is not connected to network \(network.config.name)")
      }
      if r.state.isRunning {
        let controller = networkArea.controller
        do {
          try await BlockingPool.shared.run { try controller.detach(container: id, network: network.config.id) }
        } catch NetworkError.notAttached {
          // Joined in the record but not in the kernel (attached at the next start): nothing to undo.
        } catch {
          throw networkEngineError(error)
        }
      }
      try containers.update(id) { record in
        var endpoints =
          record.settings.endpoints ?? Dictionary(uniqueKeysWithValues: names.map { ($0, EndpointRequest()) })
        endpoints[joinedAs] = nil
        endpoints[network.config.name] = nil
        record.settings.endpoints = endpoints
      }
      if r.state.isRunning {
        let area = networkArea
        await BlockingPool.shared.run { area.refreshDNS() }
      }
    }
    emit(
      "network", "disconnect", id: network.config.id, ["container": id, "name": network.config.name, "type": "bridge"])
  }

  private func networkChangeTargets(_ ref: String, _ container: String?) throws -> (String, NetworkRecord) {
    guard let container, !container.isEmpty else { throw EngineError.badParameter("container is required") }
    if networkArea.predefined(ref) != nil {
      throw EngineError.forbidden("container cannot be disconnected from host network or connected to host network")
    }
    let network = try networkArea.record(network: ref)
    return (try record(container).id, network)
  }

  /// Only a container in a namespace of its own (not host's, another container's, or
  /// none's) can change networks.
  private static func checkOwnNamespace(_ s: ContainerSettings, network: String) throws {
    switch try SpecBuilder.networkPlan(s.networkMode) {
    case .sandbox: return
    case .privateLoopback:
      throw EngineError.forbidden(
        "container cannot be connected to multiple networks with one of the networks in private (none) mode")
    case .host, .container:
      throw EngineError.forbidden(
        "container sharing network namespace with another container or host cannot be connected to any other network")
    }
  }
}

extension EndpointRequest {
  init(_ e: EndpointSettings?) {
    func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
    self.init(
      ipv4: nonEmpty(e?.ipamConfig?.ipv4Address), ipv6: nonEmpty(e?.ipamConfig?.ipv6Address),
      mac: nonEmpty(e?.macAddress), aliases: e?.aliases.flatMap { $0.isEmpty ? nil : $0 })
  }
}
