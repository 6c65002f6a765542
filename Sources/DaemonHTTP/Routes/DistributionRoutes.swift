import EngineAPI
import NIOHTTP1

extension Router {
  /// POST /auth and GET /distribution/{name}/json (pull and push are image routes).
  func distributionRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    switch (request.method, s[0]) {
    case (.POST, "auth") where s.count == 1:
      let body = try await request.decodeJSON(AuthConfigRequest.self, empty: nil)
      try await r.json(try await backends.distribution.authenticate(body))
    case (.GET, "distribution") where s.count >= 3 && s.last == "json":
      let name = s[1..<(s.count - 1)].joined(separator: "/")
      try await r.json(
        try await backends.distribution.distributionInspect(
          name: name, registryAuth: request.headers.first(name: "X-Registry-Auth")))
    default:
      throw PageNotFound()
    }
  }
}
