import EngineAPI
import NIOHTTP1

extension Router {
  /// POST /build (the classic builder's API: a tar context in, a JSON message stream out)
  /// and POST /build/prune.
  func buildRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    switch (request.method, s.count) {
    case (.POST, 1):
      let options = try Self.buildOptions(request.query)
      try await r.streamProgress(try await backends.builds.build(options: options, context: request.body.stream))
    case (.POST, 2) where s[1] == "prune":
      try await r.json(try await backends.builds.pruneBuildCache(all: request.query.bool("all")))
    default:
      throw PageNotFound()
    }
  }

  /// The query parameters of POST /build, as dockerd reads them (`buildargs` and `labels`
  /// are JSON objects).
  static func buildOptions(_ q: QueryParameters) throws -> BuildOptions {
    var o = BuildOptions()
    o.tags = q.all("t").filter { !$0.isEmpty }
    if let f = q["dockerfile"], !f.isEmpty { o.dockerfile = f }
    if let t = q["target"], !t.isEmpty { o.target = t }
    o.noCache = q.bool("nocache")
    o.quiet = q.bool("q")
    if let n = q["networkmode"], !n.isEmpty { o.networkMode = n }
    if let text = q["buildargs"], !text.isEmpty {
      do {
        o.buildArgs = try EngineJSON.decode([String: String?].self, from: Array(text.utf8))
      } catch {
        throw EngineError.badParameter("invalid buildargs: \(text)")
      }
    }
    if let text = q["labels"], !text.isEmpty {
      do {
        o.labels = try EngineJSON.decode([String: String].self, from: Array(text.utf8))
      } catch {
        throw EngineError.badParameter("invalid labels: \(text)")
      }
    }
    return o
  }
}
