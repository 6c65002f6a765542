// A small blocking HTTP/1.1 client over a TCP socket to 127.0.0.1, run on its own thread
// (never on the cooperative pool the in-process server's handlers need).
import Foundation
import JSONCoding

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

struct HTTPResult: CustomStringConvertible {
  var status: Int
  var headers: [(String, String)]
  var body: [UInt8]

  func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
  var text: String { String(decoding: body, as: UTF8.self) }
  /// The first error code of a distribution error body.
  var errorCode: String? {
    guard let v = try? JSON.decode(ErrorBody.self, from: body) else { return nil }
    return v.errors.first?.code
  }
  var description: String { "\(status) \(headers) \(text.prefix(400))" }

  struct ErrorBody: Codable {
    struct Entry: Codable { var code: String }
    var errors: [Entry]
  }
}

/// Runs blocking work on a fresh thread.
func offThread<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread {
      do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
    }
    thread.stackSize = 1 << 20
    thread.start()
  }
}

enum TestHTTP {
  /// One request on its own connection. `chunked`: the body goes as chunked transfer
  /// encoding in pieces of `chunkSize`, with no Content-Length (as dockerd's PATCH).
  static func request(
    _ port: Int, _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
    chunked: Bool = false, chunkSize: Int = 1000
  ) async throws -> HTTPResult {
    try await offThread {
      try send(port, method, path, headers: headers, body: body, chunked: chunked, chunkSize: chunkSize)
    }
  }

  static func send(
    _ port: Int, _ method: String, _ path: String, headers: [(String, String)], body: [UInt8]?, chunked: Bool,
    chunkSize: Int
  ) throws -> HTTPResult {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
    defer { close(fd) }
    var tv = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw TestFailure("connect 127.0.0.1:\(port): errno \(errno)") }
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers { head += "\(k): \(v)\r\n" }
    if chunked {
      head += "Transfer-Encoding: chunked\r\n"
    } else if let body {
      head += "Content-Length: \(body.count)\r\n"
    } else if method == "PUT" || method == "POST" || method == "PATCH" {
      head += "Content-Length: 0\r\n"
    }
    head += "\r\n"
    try writeAll(fd, Array(head.utf8))
    if let body {
      if chunked {
        var offset = 0
        while offset < body.count {
          let piece = body[offset..<min(body.count, offset + chunkSize)]
          try writeAll(fd, Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8))
          offset += piece.count
        }
        try writeAll(fd, Array("0\r\n\r\n".utf8))
      } else {
        try writeAll(fd, body)
      }
    } else if chunked {
      try writeAll(fd, Array("0\r\n\r\n".utf8))
    }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { throw TestFailure("read: errno \(errno)") }
      if n == 0 { break }
      response += buffer[0..<n]
    }
    return try parse(response, head: method == "HEAD")
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { throw TestFailure("write: errno \(errno)") }
      offset += n
    }
  }

  static func parse(_ bytes: [UInt8], head isHead: Bool) throws -> HTTPResult {
    var data = bytes[...]
    // Skip 1xx responses (100 Continue).
    while true {
      guard let end = find(data, Array("\r\n\r\n".utf8)) else {
        throw TestFailure("no response head in \(bytes.count) bytes")
      }
      let headText = String(decoding: data[data.startIndex..<end], as: UTF8.self)
      data = data[(end + 4)...]
      let lines = headText.components(separatedBy: "\r\n")
      let statusParts = lines[0].split(separator: " ")
      guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
        throw TestFailure("bad status line \(lines[0])")
      }
      if status / 100 == 1 { continue }
      var headers: [(String, String)] = []
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
      }
      var result = HTTPResult(status: status, headers: headers, body: [])
      if isHead || status == 204 { return result }
      if result.header("Transfer-Encoding")?.lowercased() == "chunked" {
        result.body = try dechunk(data)
      } else if let length = result.header("Content-Length").flatMap(Int.init) {
        guard data.count >= length else { throw TestFailure("short body: \(data.count) of \(length)") }
        result.body = Array(data.prefix(length))
      } else {
        result.body = Array(data)
      }
      return result
    }
  }

  static func dechunk(_ data: ArraySlice<UInt8>) throws -> [UInt8] {
    var out: [UInt8] = []
    var rest = data
    while true {
      guard let eol = find(rest, Array("\r\n".utf8)) else { throw TestFailure("bad chunk") }
      let sizeText = String(decoding: rest[rest.startIndex..<eol], as: UTF8.self).split(separator: ";")[0]
      guard let size = Int(sizeText, radix: 16) else { throw TestFailure("bad chunk size \(sizeText)") }
      rest = rest[(eol + 2)...]
      if size == 0 { return out }
      out += rest.prefix(size)
      rest = rest.dropFirst(size + 2)
    }
  }

  static func find(_ hay: ArraySlice<UInt8>, _ needle: [UInt8]) -> Int? {
    guard hay.count >= needle.count else { return nil }
    var i = hay.startIndex
    while i + needle.count <= hay.endIndex {
      if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i += 1
    }
    return nil
  }
}
