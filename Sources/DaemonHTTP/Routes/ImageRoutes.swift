import EngineAPI
import NIOHTTP1

extension Router {
  func imageRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    let q = request.query
    switch (request.method, s.count, s.count > 1 ? s[1] : "") {
    case (.GET, 2, "json"):
      let options = ImageListOptions(
        all: q.bool("all"), digests: q.bool("digests"), sharedSize: q.bool("shared-size"), filters: try q.filters())
      try await r.json(try await backends.images.listImages(options: options))
    case (.POST, 2, "load"):
      try await r.streamProgress(
        try await backends.images.loadImages(body: request.body.stream, quiet: q.bool("quiet")))
    case (.GET, 2, "get"):
      try await r.streamBytes(
        try await backends.images.exportImages(names: q.all("names")), contentType: "application/x-tar")
    case (.POST, 2, "create"):
      try await create(request, r)
    case (.POST, 2, "prune"):
      try await r.json(try await backends.images.pruneImages(filters: try q.filters()))
    case (_, 1, _):
      throw PageNotFound()
    default:
      try await named(request, r)
    }
  }

  /// `/images/{name}/…`, where the name may hold slashes and colons (`localhost:5000/a/b:tag`).
  private func named(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    let q = request.query
    if request.method == .DELETE {
      let name = s[1...].joined(separator: "/")
      try await r.json(
        try await backends.images.removeImage(name: name, force: q.bool("force"), noPrune: q.bool("noprune")))
      return
    }
    guard s.count >= 3, let action = s.last else { throw PageNotFound() }
    let name = s[1..<(s.count - 1)].joined(separator: "/")
    switch (request.method, action) {
    case (.GET, "json"):
      try await r.json(try await backends.images.inspectImage(name: name))
    case (.GET, "history"):
      try await r.json(try await backends.images.imageHistory(name: name))
    case (.GET, "get"):
      try await r.streamBytes(try await backends.images.exportImages(names: [name]), contentType: "application/x-tar")
    case (.POST, "push"):
      try await r.streamProgress(
        try await backends.distribution.pushImage(
          name: name, tag: q["tag"].flatMap { $0.isEmpty ? nil : $0 },
          registryAuth: request.headers.first(name: "X-Registry-Auth")))
    case (.POST, "tag"):
      guard let repo = q["repo"], !repo.isEmpty else {
        throw EngineError.badParameter("repository name must have at least one component")
      }
      try await backends.images.tagImage(name: name, repo: repo, tag: q["tag"].flatMap { $0.isEmpty ? nil : $0 })
      try await r.respond(status: .created)
    default:
      throw PageNotFound()
    }
  }

  /// POST /images/create: import (`fromSrc`) or pull (`fromImage`).
  private func create(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let q = request.query
    func nonEmpty(_ name: String) -> String? { q[name].flatMap { $0.isEmpty ? nil : $0 } }
    if let source = nonEmpty("fromSrc") {
      let options = ImageImportOptions(
        source: source, repo: nonEmpty("repo"), tag: nonEmpty("tag"), message: nonEmpty("message"),
        changes: q.all("changes").filter { !$0.isEmpty }, platform: nonEmpty("platform"))
      try await r.streamProgress(try await backends.images.importImage(body: request.body.stream, options: options))
    } else if let image = nonEmpty("fromImage") {
      let options = ImagePullOptions(
        fromImage: image, tag: nonEmpty("tag"), platform: nonEmpty("platform"),
        registryAuth: request.headers.first(name: "X-Registry-Auth"))
      try await r.streamProgress(try await backends.distribution.pullImage(options: options))
    } else {
      throw EngineError.badParameter("either fromImage or fromSrc is required")
    }
  }
}
