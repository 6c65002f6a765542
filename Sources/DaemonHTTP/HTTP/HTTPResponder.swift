import EngineAPI
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// How a route answers: a whole response, a chunked stream, or a hijack. Used from the
/// route's task; every write waits until NIO took the bytes (that is the flow control).
final class HTTPResponder: Sendable {
  enum Phase: Sendable {
    case none
    case streaming
    case done
    case hijacked
  }

  let channel: any Channel
  private let connection: NIOLoopBound<HTTPServerHandler>
  private let isHeadRequest: Bool
  let standardHeaders: [(String, String)]
  private let phase = NIOLockedValueBox(Phase.none)

  init(
    channel: any Channel, connection: NIOLoopBound<HTTPServerHandler>, isHeadRequest: Bool,
    standardHeaders: [(String, String)]
  ) {
    self.channel = channel
    self.connection = connection
    self.isHeadRequest = isHeadRequest
    self.standardHeaders = standardHeaders
  }

  var currentPhase: Phase { phase.withLockedValue { $0 } }

  private func head(_ status: HTTPResponseStatus, _ headers: [(String, String)]) -> HTTPResponseHead {
    var h = HTTPHeaders(standardHeaders)
    for (name, value) in headers { h.replaceOrAdd(name: name, value: value) }
    return HTTPResponseHead(version: .http1_1, status: status, headers: h)
  }

  private func claim(_ next: Phase) throws {
    try phase.withLockedValue { p in
      guard case .none = p else { throw EngineError.internal("response already started") }
      p = next
    }
  }

  /// A complete response with a Content-Length.
  func respond(
    status: HTTPResponseStatus, headers: [(String, String)] = [], body: [UInt8] = [], contentType: String? = nil
  ) async throws {
    try claim(.done)
    var all = headers
    if let contentType { all.append(("Content-Type", contentType)) }
    let noBody = status == .noContent || status == .notModified
    if !noBody { all.append(("Content-Length", String(body.count))) }
    channel.write(HTTPServerResponsePart.head(head(status, all)), promise: nil)
    if !body.isEmpty && !isHeadRequest && !noBody {
      channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
    }
    try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
    completed()
  }

  func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) async throws {
    try await respond(status: status, body: try EngineJSON.encodeLine(value), contentType: "application/json")
  }

  /// Starts a chunked response and sends its head right away (clients wait for it).
  func startStream(status: HTTPResponseStatus = .ok, contentType: String, headers: [(String, String)] = [])
    async throws
  {
    try claim(.streaming)
    try await channel.writeAndFlush(
      HTTPServerResponsePart.head(head(status, [("Content-Type", contentType)] + headers))
    )
    .get()
  }

  /// One chunk of a stream, flushed.
  func write(_ bytes: [UInt8]) async throws {
    guard !bytes.isEmpty, !isHeadRequest else { return }
    try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))))
      .get()
  }

  func endStream() async throws {
    let wasStreaming = phase.withLockedValue { p -> Bool in
      guard case .streaming = p else { return false }
      p = .done
      return true
    }
    guard wasStreaming else { return }
    try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
    completed()
  }

  /// Hijacks the connection: afterwards raw bytes flow both ways.
  func hijack(upgrade: Bool, contentType: String) async throws -> HijackedChannelStream {
    try claim(.hijacked)
    let bytes = HijackResponse.head(upgrade: upgrade, contentType: contentType, headers: standardHeaders)
    let connection = self.connection
    return try await channel.eventLoop.submit { try connection.value.hijack(responseHead: bytes) }.get()
  }

  /// Answers an error: JSON with its status if nothing was sent yet; else ends the stream.
  func fail(_ error: any Error) async {
    switch currentPhase {
    case .none:
      let (status, message) = Self.describe(error)
      if status == .notModified {
        try? await respond(status: status)
      } else {
        try? await json(ErrorResponse(message: message), status: status)
      }
    case .streaming:
      try? await endStream()
    case .done, .hijacked:
      break
    }
  }

  /// Makes sure the connection is not left waiting: ends an open stream, or answers 500.
  func finish() async {
    switch currentPhase {
    case .none: await fail(EngineError.internal("the route sent no answer"))
    case .streaming: try? await endStream()
    case .done, .hijacked: break
    }
  }

  private func completed() {
    let connection = self.connection
    channel.eventLoop.execute { connection.value.responseCompleted() }
  }

  /// Docker's status code and message for an error.
  static func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
    switch error {
    case let e as EngineError:
      return (HTTPResponseStatus(statusCode: e.statusCode), e.message)
    case let e as DecodingError:
      return (.badRequest, "invalid JSON: \(describe(decoding: e))")
    default:
      return (.internalServerError, "\(error)")
    }
  }

  private static func describe(decoding e: DecodingError) -> String {
    func path(_ c: [any CodingKey]) -> String {
      c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch e {
    case .typeMismatch(let type, let ctx):
      return "cannot decode \(path(ctx.codingPath)) as \(type): \(ctx.debugDescription)"
    case .valueNotFound(let type, let ctx):
      return "missing \(type) at \(path(ctx.codingPath))"
    case .keyNotFound(let key, let ctx):
      return "missing key \(key.stringValue) at \(path(ctx.codingPath))"
    case .dataCorrupted(let ctx):
      return ctx.debugDescription
    @unknown default:
      return "\(e)"
    }
  }
}
