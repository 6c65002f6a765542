// `docker cp`: HEAD (stat), GET (tar out) and PUT (tar in) /containers/{id}/archive?path=…
import EngineAPI
import NIOHTTP1

extension Router {
  func archive(id: String, _ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let q = request.query
    guard let path = q["path"], !path.isEmpty else {
      throw EngineError.badParameter("bad parameter: path cannot be empty")
    }
    switch request.method {
    case .HEAD:
      let stat = try await backends.containers.statContainerPath(id: id, path: path)
      try await r.respond(status: .ok, headers: [(ContainerPathStat.headerName, try stat.headerValue())])
    case .GET:
      let archive = try await backends.containers.archiveContainerPath(id: id, path: path)
      try await r.startStream(
        contentType: "application/x-tar", headers: [(ContainerPathStat.headerName, try archive.stat.headerValue())])
      for try await chunk in archive.tar {
        try await r.write(chunk)
      }
      try await r.endStream()
    case .PUT:
      let options = ContainerExtractOptions(
        noOverwriteDirNonDir: q.bool("noOverwriteDirNonDir"), copyUIDGID: q.bool("copyUIDGID"))
      try await backends.containers.extractToContainer(id: id, path: path, options: options, body: request.body.stream)
      try await r.ok()
    default:
      throw PageNotFound()
    }
  }
}
