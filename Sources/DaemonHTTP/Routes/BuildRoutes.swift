import EngineAPI
import NIOHTTP1

extension Router {
  /// The build area's routes. Berth has no builder yet, so no build cache: a prune (which
  /// `docker system prune` and `berth system prune` always send) has nothing to reclaim.
  func buildRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    switch (request.method, s.count) {
    case (.POST, 2) where s[1] == "prune":
      try await r.respond(
        status: .ok, body: Array(#"{"CachesDeleted":[],"SpaceReclaimed":0}"#.utf8), contentType: "application/json")
    default:
      throw PageNotFound()
    }
  }
}
