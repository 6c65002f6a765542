import EngineAPI
import NIOHTTP1

/// Thrown for paths that match no route: 404 `{"message":"page not found"}`.
struct PageNotFound: Error {}

/// Maps requests to the calls of the engine's areas.
struct Router: Sendable {
  let backends: EngineBackends
  let configuration: EngineHTTPServerConfiguration
  /// Headers on every answer, like dockerd's.
  let standardHeaders: [(String, String)]

  init(backends: EngineBackends, configuration: EngineHTTPServerConfiguration) {
    self.backends = backends
    self.configuration = configuration
    standardHeaders = [
      ("Api-Version", APIVersion.current.description),
      ("Docker-Experimental", configuration.experimental ? "true" : "false"),
      ("Ostype", "linux"),
      ("Server", "Docker/\(configuration.serverVersion) (linux)"),
    ]
  }

  /// Decided from the request head alone, before the body arrives.
  func bodyMode(_ head: HTTPRequestHead) -> BodyMode {
    guard head.method == .POST || head.method == .PUT else { return .buffered }
    let path = head.uri.split(separator: "?", maxSplits: 1).first ?? ""
    var segments = path.split(separator: "/")
    if let first = segments.first, first.hasPrefix("v"), first.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) {
      segments.removeFirst()
    }
    if head.method == .PUT {
      // Only a `docker cp` upload streams; other PUTs are small.
      let upload = segments.count == 3 && segments[0] == "containers" && segments[2] == "archive"
      return upload ? .streamed : .buffered
    }
    switch segments.count {
    case 2 where segments[0] == "images" && (segments[1] == "load" || segments[1] == "create"):
      return .streamed
    case 1 where segments[0] == "build":
      return .streamed
    case 3 where segments[0] == "containers" && segments[2] == "attach":
      return .hijack
    case 3 where segments[0] == "exec" && segments[2] == "start":
      return .hijack
    default:
      return .buffered
    }
  }

  func route(_ request: HTTPRequest, _ r: HTTPResponder) async {
    do {
      try checkVersion(request)
      try await dispatch(request, r)
    } catch is PageNotFound {
      await r.fail(EngineError.notFound("page not found"))
    } catch {
      await r.fail(error)
    }
    await r.finish()
  }

  private func checkVersion(_ request: HTTPRequest) throws {
    guard let requested = request.requestedVersion else { return }
    guard let v = APIVersion(requested) else {
      throw EngineError.badParameter("invalid API version: \(requested)")
    }
    if v < .minimum {
      throw EngineError.badParameter(
        "client version \(requested) is too old. Minimum supported API version is \(APIVersion.minimum), "
          + "please upgrade your client to a newer version")
    }
    if v > .current {
      throw EngineError.badParameter(
        "client version \(requested) is too new. Maximum supported API version is \(APIVersion.current)")
    }
  }

  private func dispatch(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    switch request.segments.first {
    case "_ping", "version", "info", "events", "system":
      try await systemRoute(request, r)
    case "containers":
      try await containerRoute(request, r)
    case "exec":
      try await execRoute(request, r)
    case "images":
      try await imageRoute(request, r)
    case "volumes":
      try await volumeRoute(request, r)
    case "networks":
      try await networkRoute(request, r)
    case "commit":
      try await commitRoute(request, r)
    case "build":
      try await buildRoute(request, r)
    case "auth", "distribution":
      try await distributionRoute(request, r)
    case "swarm", "services", "nodes", "tasks", "secrets", "configs", "plugins":
      try await outsideASwarmRoute(request, r)
    default:
      throw PageNotFound()
    }
  }
}

// MARK: - Helpers shared by the routes

extension HTTPRequest {
  /// The body decoded as JSON; an empty body gives `empty` (or a 400 when nil).
  func decodeJSON<T: Decodable>(_ type: T.Type, empty: T?) async throws -> T {
    let bytes = try await body.collect()
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
      guard let empty else { throw EngineError.badParameter("request body is empty, expected JSON") }
      return empty
    }
    return try EngineJSON.decode(type, from: bytes)
  }

  /// `Connection: Upgrade` / `Upgrade: tcp`: hijack with 101 (dockerd checks for the Upgrade header).
  var wantsUpgrade: Bool { headers.contains(name: "Upgrade") }

  /// The content type of a container output stream.
  func outputContentType(tty: Bool) -> String {
    !tty && apiVersion >= .multiplexedContentType ? HijackResponse.multiplexedStream : HijackResponse.rawStream
  }
}

extension HTTPResponder {
  /// Streams JSON values as lines (stats, events, progress).
  func streamJSONLines<T: Encodable & Sendable>(_ values: AsyncThrowingStream<T, any Error>) async throws {
    try await startStream(contentType: "application/json")
    for try await value in values {
      try await write(EngineJSON.encodeLine(value))
    }
    try await endStream()
  }

  /// Streams progress messages; an error after the start becomes an `errorDetail` line, as dockerd does.
  func streamProgress(_ values: AsyncThrowingStream<ProgressMessage, any Error>) async throws {
    try await startStream(contentType: "application/json")
    do {
      for try await value in values {
        try await write(EngineJSON.encodeLine(value))
      }
    } catch {
      let (_, message) = HTTPResponder.describe(error)
      let line = ProgressMessage(error: message, errorDetail: ErrorDetail(message: message))
      try? await write(EngineJSON.encodeLine(line))
    }
    try await endStream()
  }

  /// Streams raw bytes (tar).
  func streamBytes(_ bytes: ByteStream, contentType: String) async throws {
    try await startStream(contentType: contentType)
    for try await chunk in bytes {
      try await write(chunk)
    }
    try await endStream()
  }

  func noContent() async throws { try await respond(status: .noContent) }
  func ok() async throws { try await respond(status: .ok) }
}
