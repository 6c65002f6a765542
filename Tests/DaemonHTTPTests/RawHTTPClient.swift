import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

struct TestError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// Runs blocking socket work on its own thread, off the cooperative pool (the server's
/// backend runs there).
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread {
      do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
    }
    thread.start()
  }
}

struct RawResponse: Sendable {
  var statusLine: String
  var status: Int
  /// Lowercased names.
  var headers: [String: String]
  var body: [UInt8]
  var text: String { String(decoding: body, as: UTF8.self) }
}

/// A deliberately tiny HTTP/1.1 client on a unix socket: blocking, with a 60 s read timeout (a guard against hangs,
/// generous because the whole suite runs in parallel on 2 cores).
final class RawHTTPClient: @unchecked Sendable {
  let fd: Int32
  private var buffer: [UInt8] = []

  init(socketPath: String) throws {
    fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestError("socket: errno \(errno)") }
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let path = Array(socketPath.utf8)
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
      for (i, b) in path.enumerated() where i < raw.count - 1 { raw[i] = b }
    }
    var timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let rc = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard rc == 0 else {
      close(fd)
      throw TestError("connect \(socketPath): errno \(errno)")
    }
  }

  deinit { close(fd) }

  func send(_ bytes: [UInt8]) throws {
    var off = 0
    while off < bytes.count {
      let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      guard n > 0 else { throw TestError("write: errno \(errno)") }
      off += n
    }
  }

  func send(_ text: String) throws { try send(Array(text.utf8)) }

  func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

  /// Reads more into the buffer; false at EOF.
  @discardableResult
  func fill() throws -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if n < 0 { throw TestError("recv: errno \(errno) (timeout?)") }
    if n == 0 { return false }
    buffer += chunk[..<n]
    return true
  }

  func readExactly(_ count: Int) throws -> [UInt8] {
    while buffer.count < count {
      guard try fill() else { throw TestError("EOF after \(buffer.count) of \(count) bytes") }
    }
    defer { buffer.removeFirst(count) }
    return Array(buffer[..<count])
  }

  func readLine() throws -> String {
    while true {
      if let i = buffer.firstIndex(of: 0x0a) {
        let line = buffer[..<i]
        buffer.removeFirst(i + 1)
        return String(decoding: line.last == 0x0d ? line.dropLast() : line, as: UTF8.self)
      }
      guard try fill() else { throw TestError("EOF in a line") }
    }
  }

  func readToEOF() throws -> [UInt8] {
    while try fill() {}
    defer { buffer = [] }
    return buffer
  }

  func readHead() throws -> RawResponse {
    let statusLine = try readLine()
    let parts = statusLine.split(separator: " ")
    guard parts.count >= 2, let status = Int(parts[1]) else { throw TestError("bad status line \(statusLine)") }
    var headers: [String: String] = [:]
    while true {
      let line = try readLine()
      if line.isEmpty { break }
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return RawResponse(statusLine: statusLine, status: status, headers: headers, body: [])
  }

  /// Reads one chunk of a chunked body; nil at the last chunk.
  func readChunk() throws -> [UInt8]? {
    let sizeLine = try readLine()
    guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw TestError("bad chunk \(sizeLine)") }
    if size == 0 {
      _ = try readLine()
      return nil
    }
    let data = try readExactly(size)
    _ = try readExactly(2)
    return data
  }

  func readResponse(head isHead: Bool = false) throws -> RawResponse {
    var r = try readHead()
    if isHead || r.status == 204 || r.status == 304 { return r }
    if let len = r.headers["content-length"].flatMap(Int.init) {
      r.body = try readExactly(len)
    } else if r.headers["transfer-encoding"] == "chunked" {
      while let chunk = try readChunk() { r.body += chunk }
    } else {
      r.body = try readToEOF()
    }
    return r
  }

  func request(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) throws
    -> RawResponse
  {
    var text = "\(method) \(path) HTTP/1.1\r\nHost: docker\r\n"
    for (k, v) in headers { text += "\(k): \(v)\r\n" }
    if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.count)\r\n" }
    text += "\r\n"
    try send(Array(text.utf8) + body)
    return try readResponse(head: method == "HEAD")
  }
}
