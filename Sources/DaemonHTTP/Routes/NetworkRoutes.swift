import EngineAPI
import NIOHTTP1

extension Router {
  func networkRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    let networks = backends.networks
    switch (request.method, s.count) {
    case (.GET, 1):
      try await r.json(try await networks.listNetworks(filters: try request.query.filters()))
    case (.POST, 2) where s[1] == "create":
      let body = try await request.decodeJSON(NetworkCreateRequest.self, empty: nil)
      try await r.json(try await networks.createNetwork(request: body), status: .created)
    case (.POST, 2) where s[1] == "prune":
      try await r.json(try await networks.pruneNetworks(filters: try request.query.filters()))
    case (.GET, 2):
      try await r.json(try await networks.inspectNetwork(id: s[1]))
    case (.DELETE, 2):
      try await networks.removeNetwork(id: s[1])
      try await r.noContent()
    case (.POST, 3) where s[2] == "connect":
      let body = try await request.decodeJSON(NetworkConnectRequest.self, empty: nil)
      try await networks.connectNetwork(id: s[1], request: body)
      try await r.respond(status: .ok, body: [], contentType: "application/json")
    case (.POST, 3) where s[2] == "disconnect":
      let body = try await request.decodeJSON(NetworkDisconnectRequest.self, empty: nil)
      try await networks.disconnectNetwork(id: s[1], request: body)
      try await r.respond(status: .ok, body: [], contentType: "application/json")
    default:
      throw PageNotFound()
    }
  }
}
