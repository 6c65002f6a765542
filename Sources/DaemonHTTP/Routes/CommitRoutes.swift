import EngineAPI
import NIOHTTP1

extension Router {
  /// POST /commit?container=&repo=&tag=&comment=&author=&changes=&pause= with an optional
  /// container config as the body; answers 201 {"Id": …}.
  func commitRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    guard request.method == .POST, request.segments.count == 1 else { throw PageNotFound() }
    let q = request.query
    func nonEmpty(_ name: String) -> String? { q[name].flatMap { $0.isEmpty ? nil : $0 } }
    guard let container = nonEmpty("container") else {
      throw EngineError.badParameter("container is required")
    }
    let config = try await request.decodeJSON(ContainerConfig?.self, empty: .some(nil))
    let response = try await backends.containers.commitContainer(
      id: container, repo: nonEmpty("repo"), tag: nonEmpty("tag"), comment: nonEmpty("comment"),
      author: nonEmpty("author"), changes: q.all("changes").filter { !$0.isEmpty },
      pause: q.bool("pause", default: true),
      config: config)
    try await r.json(response, status: .created)
  }
}
