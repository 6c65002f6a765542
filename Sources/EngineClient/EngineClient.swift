import FoundationEssentials
import Glibc
import LinuxOS

/// A synchronous Docker Engine API client over a unix socket or TCP (optionally TLS). One connection per request;
/// versioned paths (`/v1.NN/…`) after `negotiate()`.
public final class EngineClient {
  /// The newest API version this client speaks.
  public static let maxAPIVersion = "1.47"
  /// What an old daemon that does not send `API-Version` is assumed to speak (as docker).
  public static let fallbackAPIVersion = "1.24"

  public let host: EngineHost
  /// The negotiated version (`"1.47"`), nil before `negotiate()`.
  public private(set) var apiVersion: String?
  /// Headers of the last `/_ping` answer (lower-cased names).
  public private(set) var pingHeaders: [(String, String)] = []

  public init(host: EngineHost) { self.host = host }

  // MARK: Version negotiation

  /// `GET /_ping`, then use min(server's API-Version, ours).
  public func negotiate() throws {
    let socket = try connect()
    try socket.write(HTTPRequest(method: "GET", target: "/_ping").head())
    let head = try HTTPResponseHead.read(from: socket)
    _ = try? ResponseBody(socket: socket, head: head, method: "GET").readAll()
    socket.close()
    pingHeaders = head.headers
    let server = head.header("api-version") ?? Self.fallbackAPIVersion
    apiVersion = Self.minVersion(server, Self.maxAPIVersion)
    assumed = false
  }

  /// Uses the newest API version without asking first (`/_ping` costs a round trip on
  /// every command). A daemon that speaks only older versions refuses the first request
  /// with "client version … is too new"; the client then negotiates and sends it again
  /// (`retryingOnce`). Requests that stream a body negotiate before they start.
  public func assumeNewestVersion() {
    apiVersion = Self.maxAPIVersion
    assumed = true
  }

  /// Whether `apiVersion` was assumed rather than negotiated.
  private var assumed = false

  /// dockerd's answer to a version above its maximum (moby's version middleware).
  static func isVersionTooNew(status: Int, message: String) -> Bool {
    status == 400 && message.hasPrefix("client version ") && message.contains(" is too new")
  }

  /// Runs `send`; if an assumed version was refused as too new, negotiates and runs it once more.
  func retryingOnce<T>(_ send: () throws -> T) throws -> T {
    do {
      return try send()
    } catch EngineClientError.daemon(let status, let message)
      where assumed && Self.isVersionTooNew(status: status, message: message)
    {
      try negotiate()
      return try send()
    }
  }

  /// Before a streamed body, which cannot be sent twice.
  func negotiateIfAssumed(for body: Body?) throws {
    if assumed, case .stream = body { try negotiate() }
  }

  /// The smaller of two `major.minor` versions.
  public static func minVersion(_ a: String, _ b: String) -> String {
    compareVersions(a, b) <= 0 ? a : b
  }

  /// -1, 0, 1 comparing `major.minor[.patch]` strings numerically.
  public static func compareVersions(_ a: String, _ b: String) -> Int {
    let pa = a.split(separator: ".").map { Int($0) ?? 0 }
    let pb = b.split(separator: ".").map { Int($0) ?? 0 }
    for i in 0..<max(pa.count, pb.count) {
      let x = i < pa.count ? pa[i] : 0
      let y = i < pb.count ? pb[i] : 0
      if x != y { return x < y ? -1 : 1 }
    }
    return 0
  }

  /// Whether the negotiated version is at least `version`.
  public func versionAtLeast(_ version: String) -> Bool {
    Self.compareVersions(apiVersion ?? Self.maxAPIVersion, version) >= 0
  }

  // MARK: Requests

  public enum Body {
    case json(JSON)
    case encodable(any Encodable)
    case bytes([UInt8], contentType: String)
    /// Streamed from a file descriptor with chunked transfer encoding.
    case stream(fd: Int32, contentType: String)
  }

  /// Sends a request and returns the head and a reader for the body. Error statuses
  /// (>= 400) are turned into `EngineClientError.daemon`.
  public func open(
    _ method: String, _ path: String, query: [(String, String)] = [], body: Body? = nil,
    headers: [(String, String)] = [], versioned: Bool = true
  ) throws -> (HTTPResponseHead, ResponseBody) {
    try negotiateIfAssumed(for: body)
    return try retryingOnce {
      try openOnce(method, path, query: query, body: body, headers: headers, versioned: versioned)
    }
  }

  func openOnce(
    _ method: String, _ path: String, query: [(String, String)], body: Body?, headers: [(String, String)],
    versioned: Bool
  ) throws -> (HTTPResponseHead, ResponseBody) {
    let socket = try connect()
    let head = try send(
      socket: socket, method: method, target: target(path, query: query, versioned: versioned), body: body,
      headers: headers)
    let reader = ResponseBody(socket: socket, head: head, method: method)
    if head.status >= 400 {
      let bytes = (try? reader.readAll()) ?? []
      socket.close()
      throw EngineClientError.daemon(status: head.status, message: Self.errorMessage(bytes, head: head))
    }
    return (head, reader)
  }

  /// A request whose whole body is read.
  @discardableResult
  public func call(
    _ method: String, _ path: String, query: [(String, String)] = [], body: Body? = nil,
    headers: [(String, String)] = []
  ) throws -> (HTTPResponseHead, [UInt8]) {
    let (head, reader) = try open(method, path, query: query, body: body, headers: headers)
    defer { reader.close() }
    return (head, try reader.readAll())
  }

  /// A request whose body is JSON (`null` when empty).
  public func json(
    _ method: String, _ path: String, query: [(String, String)] = [], body: Body? = nil
  ) throws -> JSON {
    let (_, bytes) = try call(method, path, query: query, body: body)
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .null }
    do {
      return try JSON.parse(bytes)
    } catch {
      throw EngineClientError.protocolError("\(method) \(path): \(error)")
    }
  }

  /// A request decoded into a Codable model.
  public func decode<T: Decodable>(
    _ type: T.Type, _ method: String, _ path: String, query: [(String, String)] = [], body: Body? = nil
  ) throws -> T {
    let (_, bytes) = try call(method, path, query: query, body: body)
    return try JSONDecoder().decode(T.self, from: Data(bytes))
  }

  /// Sends a request asking to hijack the connection (`Connection: Upgrade`, `Upgrade: tcp`)
  /// and returns the raw socket once the daemon answered 101 or 200. Bytes the daemon sent
  /// after its head stay buffered in the socket (`readSome()` returns them first).
  public func hijack(
    _ method: String, _ path: String, query: [(String, String)] = [], body: Body? = nil
  ) throws -> (HTTPResponseHead, EngineConnection) {
    try negotiateIfAssumed(for: body)
    return try retryingOnce { try hijackOnce(method, path, query: query, body: body) }
  }

  func hijackOnce(_ method: String, _ path: String, query: [(String, String)], body: Body?) throws
    -> (HTTPResponseHead, EngineConnection)
  {
    let socket = try connect()
    let head = try send(
      socket: socket, method: method, target: target(path, query: query, versioned: true), body: body,
      headers: [("Connection", "Upgrade"), ("Upgrade", "tcp")])
    if head.status >= 400 {
      let reader = ResponseBody(socket: socket, head: head, method: method)
      let bytes = (try? reader.readAll()) ?? []
      socket.close()
      throw EngineClientError.daemon(status: head.status, message: Self.errorMessage(bytes, head: head))
    }
    guard head.status == 101 || head.status == 200 else {
      socket.close()
      throw EngineClientError.protocolError("unexpected status \(head.status) for a hijacked \(method) \(path)")
    }
    return (head, socket)
  }

  // MARK: Plumbing

  func connect() throws -> EngineConnection {
    do {
      switch host.address {
      case .unix(let path):
        return EngineConnection(transport: try SocketTransport.connect(path: path))
      case .tcp(let name, let port):
        let socket = try SocketTransport.connect(host: name, port: port)
        guard let tls = host.tls else { return EngineConnection(transport: socket) }
        return EngineConnection(transport: try TLSTransport(socket: socket, serverName: name, options: tls))
      }
    } catch let error as SystemError {
      if error.errno == EACCES {
        throw EngineClientError.cannotConnect(
          host: host.description, reason: "permission denied while trying to connect to \(host)")
      }
      throw EngineClientError.cannotConnect(host: host.description, reason: error.description)
    }
  }

  func target(_ path: String, query: [(String, String)], versioned: Bool) -> String {
    var target = path
    if versioned, let apiVersion { target = "/v\(apiVersion)\(path)" }
    if !query.isEmpty {
      target += "?" + query.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }.joined(separator: "&")
    }
    return target
  }

  func send(socket: EngineConnection, method: String, target: String, body: Body?, headers: [(String, String)]) throws
    -> HTTPResponseHead
  {
    try writeRequest(socket: socket, method: method, target: target, body: body, headers: headers)
    return try HTTPResponseHead.read(from: socket)
  }

  func writeRequest(socket: EngineConnection, method: String, target: String, body: Body?, headers: [(String, String)])
    throws
  {
    var request = HTTPRequest(method: method, target: target, headers: headers)
    var payload: [UInt8]?
    var streamFD: Int32?
    switch body {
    case .none:
      if method == "POST" || method == "PUT" { request.headers.append(("Content-Length", "0")) }
    case .json(let value):
      payload = Array(value.serialized().utf8)
      request.headers.append(("Content-Type", "application/json"))
    case .encodable(let value):
      let encoder = JSONEncoder()
      payload = Array(try encoder.encode(value))
      request.headers.append(("Content-Type", "application/json"))
    case .bytes(let bytes, let contentType):
      payload = bytes
      request.headers.append(("Content-Type", contentType))
    case .stream(let fd, let contentType):
      streamFD = fd
      request.headers.append(("Content-Type", contentType))
      request.headers.append(("Transfer-Encoding", "chunked"))
    }
    if let payload { request.headers.append(("Content-Length", String(payload.count))) }
    do {
      try socket.write(request.head() + (payload ?? []))
      if let streamFD {
        while true {
          let chunk = try FD.read(streamFD, max: 256 * 1024)
          if chunk.isEmpty { break }
          try socket.write(Array(String(chunk.count, radix: 16).utf8) + [0x0D, 0x0A] + chunk + [0x0D, 0x0A])
        }
        try socket.write(Array("0\r\n\r\n".utf8))
      }
    } catch let error as SystemError where error.errno == EPIPE || error.errno == ECONNRESET {
      // The daemon may have answered early (e.g. an error) and closed: read its answer.
    }
  }

  /// Sends a request without waiting for the answer (`wait` before `start` in `run`).
  public func begin(_ method: String, _ path: String, query: [(String, String)] = [], body: Body? = nil) throws
    -> PendingResponse
  {
    let socket = try connect()
    try writeRequest(
      socket: socket, method: method, target: target(path, query: query, versioned: true), body: body, headers: [])
    return PendingResponse(socket: socket, method: method)
  }

  /// `{"message": …}` of an error body, else its text, else the status.
  static func errorMessage(_ bytes: [UInt8], head: HTTPResponseHead) -> String {
    if let json = try? JSON.parse(bytes), let message = json["message"]?.stringValue {
      return message
    }
    let text = String(decoding: bytes, as: UTF8.self).trimmedWhitespace()
    if !text.isEmpty { return text }
    return "\(head.status) \(head.reason)".trimmedWhitespace()
  }

  static func percentEncode(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = String(byte, radix: 16, uppercase: true)
        out += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out
  }
}

/// A request sent and not yet answered.
public final class PendingResponse {
  let socket: EngineConnection
  let method: String

  init(socket: EngineConnection, method: String) {
    self.socket = socket
    self.method = method
  }

  /// Reads the answer; error statuses throw `EngineClientError.daemon`.
  public func finish() throws -> (HTTPResponseHead, [UInt8]) {
    defer { socket.close() }
    let head = try HTTPResponseHead.read(from: socket)
    let bytes = try ResponseBody(socket: socket, head: head, method: method).readAll()
    if head.status >= 400 {
      throw EngineClientError.daemon(status: head.status, message: EngineClient.errorMessage(bytes, head: head))
    }
    return (head, bytes)
  }

  public func cancel() { socket.close() }
}
