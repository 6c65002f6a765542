// One HTTP/1.1 exchange over NIOAsyncChannel: the request head, its body as a stream of
// buffers (read only as fast as the handler consumes it), and the response, whose body
// may be a file region streamed from disk in chunks.
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
  import Glibc
#endif

typealias InboundIterator = NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator

/// The connection's inbound parts, shared by the request loop and the current body.
final class InboundParts {
  var iterator: InboundIterator
  init(_ iterator: InboundIterator) { self.iterator = iterator }
  func next() async throws -> HTTPServerRequestPart? { try await iterator.next() }
}

/// A request body, read once.
final class RequestBody {
  private let parts: InboundParts
  private(set) var finished = false
  private(set) var received: Int64 = 0

  init(_ parts: InboundParts) { self.parts = parts }

  /// The next buffer of the body; nil at its end.
  func next() async throws -> ByteBuffer? {
    while !finished {
      guard let part = try await parts.next() else {
        finished = true
        throw RegistryError.blobUploadInvalid("the connection closed in the middle of the body")
      }
      switch part {
      case .body(let buffer):
        received += Int64(buffer.readableBytes)
        return buffer
      case .end:
        finished = true
      case .head:
        finished = true
        throw RegistryError.blobUploadInvalid("a request head arrived inside a body")
      }
    }
    return nil
  }

  /// The whole body, refused when longer than `limit` bytes.
  func collect(limit: Int, tooLarge: RegistryError) async throws -> [UInt8] {
    var out: [UInt8] = []
    while let buffer = try await next() {
      guard out.count + buffer.readableBytes <= limit else {
        try await drain()
        throw tooLarge
      }
      out += buffer.readableBytesView
    }
    return out
  }

  /// Reads and drops what is left, so the next request starts at its head.
  func drain() async throws {
    while try await next() != nil {}
  }
}

/// A parsed request.
struct RegistryRequest {
  let head: HTTPRequestHead
  let path: String
  let query: QueryParameters

  init(head: HTTPRequestHead) {
    self.head = head
    let uri = head.uri
    if let q = uri.firstIndex(of: "?") {
      path = String(uri[..<q])
      query = QueryParameters(uri[uri.index(after: q)...])
    } else {
      path = uri
      query = QueryParameters(nil)
    }
  }

  var method: HTTPMethod { head.method }
  func header(_ name: String) -> String? { head.headers.first(name: name) }
  var contentLength: Int64? { header("Content-Length").flatMap { Int64($0) } }
}

/// What a handler answers.
struct RegistryResponse {
  enum Body {
    case empty
    case bytes([UInt8])
    /// `length` bytes of the open file `fd` from `offset`; the writer closes `fd`.
    case file(fd: Int32, offset: Int64, length: Int64)
  }

  var status: HTTPResponseStatus
  var headers: HTTPHeaders
  var body: Body

  init(_ status: HTTPResponseStatus, headers: [(String, String)] = [], body: Body = .empty) {
    self.status = status
    self.headers = HTTPHeaders(headers)
    self.body = body
  }

  static func json(_ status: HTTPResponseStatus = .ok, _ bytes: [UInt8], type: String = "application/json")
    -> RegistryResponse
  {
    RegistryResponse(status, headers: [("Content-Type", type)], body: .bytes(bytes))
  }

  init(error: RegistryError, head: Bool) {
    let body = error.jsonBody
    self.init(error.status, headers: error.headers + [("Content-Type", "application/json")])
    if head {
      headers.replaceOrAdd(name: "Content-Length", value: "\(body.count)")
    } else {
      self.body = .bytes(body)
    }
  }

  /// A file body that a failure before sending must not leak.
  func closeFile() {
    if case .file(let fd, _, _) = body { close(fd) }
  }
}

/// Writes responses to the connection.
struct ResponseWriter {
  let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
  let pool: NIOThreadPool
  static let chunk = 1 << 20

  func send(_ response: RegistryResponse, keepAlive: Bool) async throws {
    var headers = response.headers
    headers.replaceOrAdd(name: "Docker-Distribution-API-Version", value: "registry/2.0")
    // 204 and 1xx carry no Content-Length (RFC 9110 8.6).
    let bodiless = response.status == .noContent || response.status.code < 200
    if !bodiless && !headers.contains(name: "Content-Length") {
      let length: Int64
      switch response.body {
      case .empty: length = 0
      case .bytes(let b): length = Int64(b.count)
      case .file(_, _, let l): length = l
      }
      headers.add(name: "Content-Length", value: "\(length)")
    }
    if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
    var head = HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)
    head.headers = headers
    do {
      try await outbound.write(.head(head))
    } catch {
      response.closeFile()
      throw error
    }
    switch response.body {
    case .empty: break
    case .bytes(let b): try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: b))))
    case .file(let fd, let offset, let length):
      defer { close(fd) }
      try await streamFile(fd: fd, offset: offset, length: length)
    }
    try await outbound.write(.end(nil))
  }

  /// Reads the file in chunks on the thread pool; each write waits for the channel to
  /// be writable, so a slow client never makes the server hold more than a few chunks.
  private func streamFile(fd: Int32, offset: Int64, length: Int64) async throws {
    var position = offset
    let end = offset + length
    while position < end {
      let want = Int(min(Int64(Self.chunk), end - position))
      let at = position
      let buffer = try await pool.runIfActive { () throws -> ByteBuffer in
        var buffer = ByteBufferAllocator().buffer(capacity: want)
        let n = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { p -> Int in
          while true {
            let n = pread(fd, p.baseAddress, want, off_t(at))
            if n >= 0 { return n }
            if errno != EINTR { throw RegistryError.internalError(SystemCallFailed(call: "pread", errno: errno)) }
          }
        }
        if n == 0 {
          throw RegistryError.internalError(SystemCallFailed(call: "pread: blob shorter than its size", errno: 0))
        }
        return buffer
      }
      position += Int64(buffer.readableBytes)
      try await outbound.write(.body(.byteBuffer(buffer)))
    }
  }
}

struct SystemCallFailed: Error, CustomStringConvertible {
  var call: String
  var errno: Int32
  var description: String { "\(call): errno \(errno)" }
}
