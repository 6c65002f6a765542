import EngineAPI

/// The /networks API: the network area answers for networks; connect and disconnect change
/// a container, so the container area serves them (ordered with its other transitions).
struct NetworkAPI: NetworkBackend {
  let networks: NetworkArea
  let containers: ContainerArea

  func listNetworks(filters: Filters) async throws -> [NetworkResource] {
    try await networks.listNetworks(filters: filters)
  }

  func inspectNetwork(id: String) async throws -> NetworkResource { try await networks.inspectNetwork(id: id) }

  func createNetwork(request: NetworkCreateRequest) async throws -> NetworkCreateResponse {
    try await networks.createNetwork(request: request)
  }

  func removeNetwork(id: String) async throws { try await networks.removeNetwork(id: id) }

  func connectNetwork(id: String, request: NetworkConnectRequest) async throws {
    try await containers.connect(network: id, request: request)
  }

  func disconnectNetwork(id: String, request: NetworkDisconnectRequest) async throws {
    try await containers.disconnect(network: id, request: request)
  }

  func pruneNetworks(filters: Filters) async throws -> NetworkPruneResponse {
    try await networks.pruneNetworks(filters: filters)
  }
}
