import EngineAPI
import NIOCore
import NIOHTTP1

/// How a route wants its request body.
enum BodyMode: Sendable {
  /// Collected whole before the route runs (JSON bodies).
  case buffered
  /// Handed to the route as a stream while it arrives (tar bodies of load/import).
  case streamed
  /// Collected whole; then the connection may be hijacked (attach, exec start), so the
  /// bytes after the request are left unread until the route decides.
  case hijack
}

/// One HTTP/1.1 connection: turns requests into route tasks, one at a time (a pipelined
/// request waits until the answer to the previous one is complete), and performs the hijack.
final class HTTPServerHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

  private enum State {
    case idle
    case collecting(HTTPRequestHead, ByteBuffer, BodyMode)
    /// The body is still arriving; the route already runs.
    case streaming(InboundByteReader)
    /// The request is read; the route runs.
    case responding
    case hijacked
  }

  private let router: Router
  private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
  private let encoder: HTTPResponseEncoder
  private var state = State.idle
  private var queued = CircularBuffer<HTTPServerRequestPart>()
  private var gate = ReadGate()
  private var keepAlive = true
  private var inputClosed = false
  private var context: ChannelHandlerContext?

  init(router: Router, decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder) {
    self.router = router
    self.decoder = decoder
    self.encoder = encoder
  }

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }
  func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    queued.append(unwrapInboundIn(data))
    drain(context: context)
  }

  /// Handles queued request parts in order, until a route owns the connection.
  private func drain(context: ChannelHandlerContext) {
    while let part = queued.first {
      switch state {
      case .responding, .hijacked: return
      case .idle, .collecting, .streaming: break
      }
      queued.removeFirst()
      handle(part, context: context)
    }
  }

  private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
    switch state {
    case .idle:
      guard case .head(let head) = part else { return }
      keepAlive = head.isKeepAlive
      let mode = router.bodyMode(head)
      switch mode {
      case .buffered, .hijack:
        state = .collecting(head, context.channel.allocator.buffer(capacity: 0), mode)
      case .streamed:
        let reader = makeReader(context: context)
        state = .streaming(reader)
        startRoute(head: head, body: .stream(reader.byteStream), context: context)
      }
    case .collecting(let head, var body, let mode):
      switch part {
      case .head: return
      case .body(var chunk):
        if body.readableBytes + chunk.readableBytes > router.configuration.maxBufferedBodySize {
          state = .responding
          keepAlive = false
          startRoute(
            head: head,
            body: .failed(
              EngineError.badParameter(
                "request body larger than \(router.configuration.maxBufferedBodySize) bytes")),
            context: context)
          return
        }
        body.writeBuffer(&chunk)
        state = .collecting(head, body, mode)
      case .end:
        state = .responding
        if case .hijack = mode { gate.pause() }
        startRoute(head: head, body: .buffered(Array(body.readableBytesView)), context: context)
      }
    case .streaming(let reader):
      switch part {
      case .head: return
      case .body(let chunk):
        if !reader.yield(chunk) { gate.pause() }
      case .end:
        reader.finish()
        state = .responding
      }
    case .responding, .hijacked:
      // drain() never hands parts over in these states.
      return
    }
  }

  private func makeReader(context: ChannelHandlerContext) -> InboundByteReader {
    let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
    let loop = context.eventLoop
    return InboundByteReader(resume: { loop.execute { bound.value.resumeReading() } })
  }

  private func resumeReading() {
    if gate.resume() { context?.read() }
  }

  private func startRoute(head: HTTPRequestHead, body: RequestBody, context: ChannelHandlerContext) {
    let responder = HTTPResponder(
      channel: context.channel, connection: NIOLoopBound(self, eventLoop: context.eventLoop),
      isHeadRequest: head.method == .HEAD, standardHeaders: router.standardHeaders)
    let request = HTTPRequest(head: head, body: body)
    let router = self.router
    Task { await router.route(request, responder) }
  }

  /// The route finished its answer (on the event loop).
  func responseCompleted() {
    guard let context else { return }
    switch state {
    case .responding:
      break
    case .streaming(let reader):
      // Answered before the body was read (an error): the rest of the body can't be skipped safely.
      reader.finish(EngineError.internal("request answered before its body was read"))
      keepAlive = false
    case .idle, .collecting, .hijacked:
      return
    }
    state = .idle
    if !keepAlive || inputClosed {
      context.close(promise: nil)
      return
    }
    resumeReading()
    drain(context: context)
  }

  func read(context: ChannelHandlerContext) {
    if gate.shouldRead() { context.read() }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? ChannelEvent, event == .inputClosed {
      inputClosed = true
      switch state {
      case .idle: context.close(promise: nil)
      case .streaming(let reader): reader.finish(EngineError.badParameter("request body ended early"))
      case .collecting: context.close(promise: nil)
      case .responding, .hijacked: break
      }
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelInactive(context: ChannelHandlerContext) {
    if case .streaming(let reader) = state {
      reader.finish(EngineError.badParameter("connection closed while reading the request body"))
    }
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    // A malformed request: answer 400 if nothing is in flight, then close.
    if case .idle = state, error is HTTPParserError {
      let body = (try? EngineJSON.encodeLine(ErrorResponse(message: "malformed HTTP request: \(error)"))) ?? []
      var headers = HTTPHeaders(router.standardHeaders)
      headers.add(name: "Content-Type", value: "application/json")
      headers.add(name: "Content-Length", value: String(body.count))
      headers.add(name: "Connection", value: "close")
      context.write(
        wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil
      )
      context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
      let channel = context.channel
      context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
      state = .hijacked
      return
    }
    context.close(promise: nil)
  }

  /// Takes the connection over for raw bytes: removes the HTTP codecs and this handler,
  /// leaving a `HijackHandler`, then writes `responseHead` (already serialized).
  func hijack(responseHead: [UInt8]) throws -> HijackedChannelStream {
    guard let context else { throw EngineError.internal("connection closed before the hijack") }
    guard case .responding = state else { throw EngineError.internal("hijack outside of a request") }
    state = .hijacked
    let channel = context.channel
    let loop = context.eventLoop
    let hijackHandler = HijackHandler()
    let bound = NIOLoopBound(hijackHandler, eventLoop: loop)
    let reader = InboundByteReader(resume: { loop.execute { bound.value.resumeReading() } })
    hijackHandler.reader = reader
    let ops = context.pipeline.syncOperations
    try ops.addHandler(hijackHandler, position: .after(self))
    if inputClosed { reader.finish() }
    // Order matters: the encoder goes before writing raw bytes; the decoder last, so the
    // bytes it holds (the client's first stdin) are forwarded to the hijack handler.
    ops.removeHandler(encoder, promise: nil)
    channel.writeAndFlush(channel.allocator.buffer(bytes: responseHead), promise: nil)
    ops.removeHandler(decoder, promise: nil)
    ops.removeHandler(context: context, promise: nil)
    channel.read()
    return HijackedChannelStream(channel: channel, reader: reader)
  }
}

extension RequestBody {
  /// A body that fails when read (too large).
  static func failed(_ error: any Error) -> RequestBody {
    .stream(AsyncThrowingStream { $0.finish(throwing: error) })
  }
}
