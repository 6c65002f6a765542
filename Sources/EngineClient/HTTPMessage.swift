/// An HTTP/1.1 request to the daemon.
public struct HTTPRequest: Sendable {
  public var method: String
  /// Path and query, already encoded (`/v1.47/containers/json?all=1`).
  public var target: String
  public var headers: [(String, String)]

  public init(method: String, target: String, headers: [(String, String)] = []) {
    self.method = method
    self.target = target
    self.headers = headers
  }

  /// The request line and headers, ending with the blank line.
  public func head() -> [UInt8] {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: api\r\nUser-Agent: berth-cli\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    text += "\r\n"
    return Array(text.utf8)
  }
}

/// Status line and headers of a response.
public struct HTTPResponseHead: Sendable, Equatable {
  public var status: Int
  public var reason: String
  /// Names lower-cased.
  public var headers: [(String, String)]

  public static func == (a: HTTPResponseHead, b: HTTPResponseHead) -> Bool {
    a.status == b.status && a.reason == b.reason && a.headers.elementsEqual(b.headers, by: { $0 == $1 })
  }

  public func header(_ name: String) -> String? {
    let lower = name.lowercased()
    return headers.first(where: { $0.0 == lower })?.1
  }

  /// Parses the status line (`HTTP/1.1 200 OK`).
  static func parseStatusLine(_ line: String) throws -> (Int, String) {
    let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
      throw EngineClientError.protocolError("malformed HTTP status line from daemon: \(line.prefix(80))")
    }
    return (status, parts.count > 2 ? String(parts[2]) : "")
  }

  /// Reads a full head from the socket.
  static func read(from socket: EngineConnection) throws -> HTTPResponseHead {
    guard let statusLine = try socket.readLine() else {
      throw EngineClientError.protocolError("the daemon closed the connection without answering")
    }
    let (status, reason) = try parseStatusLine(statusLine)
    var headers: [(String, String)] = []
    while let line = try socket.readLine(), !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmedWhitespace()
      headers.append((name, value))
    }
    return HTTPResponseHead(status: status, reason: reason, headers: headers)
  }
}

/// Reads a response body: by Content-Length, chunked, or until the connection closes.
public final class ResponseBody {
  enum Mode {
    case length(Int)
    case chunked(ChunkedDecoder)
    case untilClose
    case finished
  }

  let socket: EngineConnection
  var mode: Mode

  init(socket: EngineConnection, head: HTTPResponseHead, method: String) {
    self.socket = socket
    if method == "HEAD" || head.status == 204 || head.status == 304 || (100..<200).contains(head.status) {
      mode = .finished
    } else if head.header("transfer-encoding")?.lowercased().contains("chunked") == true {
      mode = .chunked(ChunkedDecoder())
    } else if let length = head.header("content-length").flatMap({ Int($0) }) {
      mode = length == 0 ? .finished : .length(length)
    } else {
      mode = .untilClose
    }
  }

  /// The next piece of the body; nil at its end.
  public func next() throws -> [UInt8]? {
    while true {
      switch mode {
      case .finished:
        return nil
      case .length(let remaining):
        let piece = try socket.readSome()
        if piece.isEmpty {
          mode = .finished
          throw EngineClientError.protocolError("the daemon closed the connection before the end of the body")
        }
        if piece.count >= remaining {
          mode = .finished
          return Array(piece.prefix(remaining))
        }
        mode = .length(remaining - piece.count)
        return piece
      case .chunked(var decoder):
        let raw = try socket.readSome()
        if raw.isEmpty {
          mode = .finished
          if decoder.isFinished { return nil }
          throw EngineClientError.protocolError("the daemon closed the connection in the middle of a chunked body")
        }
        let decoded = try decoder.feed(raw)
        mode = decoder.isFinished ? .finished : .chunked(decoder)
        if !decoded.isEmpty { return decoded }
      case .untilClose:
        let piece = try socket.readSome()
        if piece.isEmpty {
          mode = .finished
          return nil
        }
        return piece
      }
    }
  }

  /// The rest of the body.
  public func readAll() throws -> [UInt8] {
    var all: [UInt8] = []
    while let piece = try next() { all += piece }
    return all
  }

  /// Calls `body` with each complete line (without the newline) as it arrives.
  public func forEachLine(_ body: (String) throws -> Void) throws {
    var pending: [UInt8] = []
    while let piece = try next() {
      pending += piece
      while let lf = pending.firstIndex(of: 0x0A) {
        try body(String(decoding: pending[..<lf], as: UTF8.self))
        pending.removeSubrange(...lf)
      }
    }
    if !pending.isEmpty { try body(String(decoding: pending, as: UTF8.self)) }
  }

  public func close() { socket.close() }
}
