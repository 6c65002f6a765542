import EngineAPI
import NIOHTTP1

extension Router {
  func execRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    guard s.count == 3 else { throw PageNotFound() }
    let id = s[1]
    switch (request.method, s[2]) {
    case (.POST, "start"):
      try await startExec(id: id, request, r)
    case (.POST, "resize"):
      let (h, w) = try terminalSize(request.query)
      try await backends.exec.resizeExec(id: id, height: h, width: w)
      try await r.ok()
    case (.GET, "json"):
      try await r.json(try await backends.exec.inspectExec(id: id))
    default:
      throw PageNotFound()
    }
  }

  private func startExec(id: String, _ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let options = try await request.decodeJSON(ExecStartRequest.self, empty: ExecStartRequest())
    // 404 before the hijack.
    _ = try await backends.exec.inspectExec(id: id)
    if options.detach {
      try await backends.exec.startExec(id: id, options: options, stream: nil)
      try await r.respond(status: .ok, contentType: "application/json")
      return
    }
    let upgrade = request.wantsUpgrade
    let stream = try await r.hijack(upgrade: upgrade, contentType: request.outputContentType(tty: options.tty))
    do {
      try await backends.exec.startExec(id: id, options: options, stream: stream)
    } catch {
      let message = Array((HTTPResponder.describe(error).1 + "\r\n").utf8)
      try? await stream.writeOutput(message, stream: .stderr, tty: options.tty)
    }
    await stream.close()
  }
}
