/// The network area: bridge networks, the predefined `bridge`, `host` and `none`, and
/// containers' endpoints on them.
public protocol NetworkBackend: Sendable {
  func listNetworks(filters: Filters) async throws -> [NetworkResource]
  func inspectNetwork(id: String) async throws -> NetworkResource
  func createNetwork(request: NetworkCreateRequest) async throws -> NetworkCreateResponse
  func removeNetwork(id: String) async throws
  func connectNetwork(id: String, request: NetworkConnectRequest) async throws
  func disconnectNetwork(id: String, request: NetworkDisconnectRequest) async throws
  func pruneNetworks(filters: Filters) async throws -> NetworkPruneResponse
}
