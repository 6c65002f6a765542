import EngineAPI
import NIOHTTP1

extension Router {
  func systemRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    switch (request.method, s.count, s[0]) {
    case (.GET, 1, "_ping"), (.HEAD, 1, "_ping"):
      try await r.respond(
        status: .ok,
        headers: [
          ("Builder-Version", "1"), ("Cache-Control", "no-cache, no-store, must-revalidate"), ("Pragma", "no-cache"),
        ], body: Array("OK".utf8), contentType: "text/plain; charset=utf-8")
    case (.GET, 1, "version"):
      try await r.json(try await backends.system.version())
    case (.GET, 1, "info"):
      try await r.json(try await backends.system.info())
    case (.GET, 2, "system") where s[1] == "df":
      try await r.json(try await backends.system.systemDataUsage())
    case (.GET, 1, "events"):
      let options = EventsOptions(
        since: try request.query.timestamp("since"), until: try request.query.timestamp("until"),
        filters: try request.query.filters())
      try await r.streamJSONLines(try await backends.system.events(options: options))
    default:
      throw PageNotFound()
    }
  }
}
