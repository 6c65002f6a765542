import EngineAPI
import NIOHTTP1

extension Router {
  func volumeRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    let q = request.query
    switch (request.method, s.count) {
    case (.GET, 1):
      try await r.json(try await backends.volumes.listVolumes(filters: try q.filters()))
    case (.POST, 2) where s[1] == "create":
      let body = try await request.decodeJSON(VolumeCreateRequest.self, empty: VolumeCreateRequest())
      try await r.json(try await backends.volumes.createVolume(request: body), status: .created)
    case (.POST, 2) where s[1] == "prune":
      var filters = try q.filters()
      // As dockerd: before API 1.42 a prune removes unused named volumes too.
      if request.apiVersion < .pruneAnonymousVolumesOnly && !filters.contains("all") {
        filters.fields["all"] = ["true"]
      }
      try await r.json(try await backends.volumes.pruneVolumes(filters: filters))
    case (.GET, 2):
      try await r.json(try await backends.volumes.inspectVolume(name: s[1]))
    case (.DELETE, 2):
      try await backends.volumes.removeVolume(name: s[1], force: q.bool("force"))
      try await r.noContent()
    default:
      throw PageNotFound()
    }
  }
}
