import EngineAPI
import NIOHTTP1

extension Router {
  /// Berth is never in a swarm: what dockerd answers outside one, which clients (the docker
  /// CLI's `info`, the SDK, Compose) expect. No plugins are installed.
  func outsideASwarmRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    switch (request.method, s[0]) {
    case (.GET, "plugins") where s.count == 1:
      try await r.respond(status: .ok, body: Array("[]".utf8), contentType: "application/json")
    case (_, "plugins"):
      throw PageNotFound()
    case (.POST, "swarm") where s.count == 2 && s[1] == "leave":
      throw EngineError.unavailable("This node is not part of a swarm")
    default:
      throw EngineError.unavailable(
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node "
          + "to swarm and try again.")
    }
  }
}
