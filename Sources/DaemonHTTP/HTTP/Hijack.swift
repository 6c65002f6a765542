import EngineAPI
import NIOCore

/// The only handler left on a hijacked connection: client bytes go to the backend's reads
/// (with backpressure); the client's half-close ends the reads but keeps the connection
/// open for output.
final class HijackHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  var reader: InboundByteReader?
  private var gate = ReadGate()
  private var context: ChannelHandlerContext?

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }
  func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let buffer = unwrapInboundIn(data)
    guard buffer.readableBytes > 0, let reader else { return }
    if !reader.yield(buffer) { gate.pause() }
  }

  func read(context: ChannelHandlerContext) {
    if gate.shouldRead() { context.read() }
  }

  func resumeReading() {
    if gate.resume() { context?.read() }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? ChannelEvent, event == .inputClosed {
      reader?.finish()
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelInactive(context: ChannelHandlerContext) {
    reader?.finish()
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    reader?.finish(error)
    context.close(promise: nil)
  }
}

/// The backend's view of a hijacked connection.
struct HijackedChannelStream: HijackedStream {
  let channel: any Channel
  let reader: InboundByteReader

  func read() async throws -> [UInt8]? {
    try await reader.next()
  }

  func write(_ bytes: [UInt8]) async throws {
    guard !bytes.isEmpty else { return }
    try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
  }

  func closeWrite() async {
    try? await channel.close(mode: .output).get()
  }

  /// Closes the whole connection (after the backend returned).
  func close() async {
    try? await channel.close().get()
  }
}

/// The answer that starts a hijacked stream, as dockerd writes it.
enum HijackResponse {
  static let rawStream = "application/vnd.docker.raw-stream"
  static let multiplexedStream = "application/vnd.docker.multiplexed-stream"

  static func head(upgrade: Bool, contentType: String, headers: [(String, String)]) -> [UInt8] {
    var text: String
    if upgrade {
      text = "HTTP/1.1 101 UPGRADED\r\nContent-Type: \(contentType)\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
    } else {
      text = "HTTP/1.1 200 OK\r\nContent-Type: \(rawStream)\r\n"
    }
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    text += "\r\n"
    return Array(text.utf8)
  }
}
