import Dispatch
import Foundation
import Glibc

/// A fake berthd for client tests: a unix socket on a temp path, one thread per connection,
/// canned answers from a handler. Records every request (method and unversioned path).
final class FakeEngine: @unchecked Sendable {
  struct Request {
    var method: String
    var path: String
    var query: String
    var headers: [String: String]
    var body: [UInt8]
    /// The `/v1.NN` prefix's version, nil for an unversioned path.
    var version: String? = nil
  }

  /// What a handler does with a connection.
  enum Reply {
    case json(Int, String)
    case empty(Int)
    /// Writes raw bytes (a head and whatever follows) then closes.
    case raw([UInt8])
    /// Custom: gets the connection fd.
    case custom((Int32) -> Void)
  }

  let socketPath: String
  private let listenFD: Int32
  private let lock = NSLock()
  private var log: [String] = []
  private var bodies: [String: [UInt8]] = [:]
  var handler: (Request) -> Reply = { _ in .json(404, #"{"message":"page not found"}"#) }
  /// The newest API version this fake speaks; a newer one is refused as dockerd does.
  var maxAPIVersion = "1.47"
  /// "METHOD /vX.Y/path" of every request, pings included, in arrival order.
  private var targetLog: [String] = []

  init() throws {
    let path = "/tmp/berth-fake-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    socketPath = path
    unlink(socketPath)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, b) in path.utf8.enumerated() { raw[i] = b }
    }
    let ok = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard ok == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
    listenFD = fd
  }

  var host: String { "unix://\(socketPath)" }

  var requests: [String] {
    lock.lock()
    defer { lock.unlock() }
    return log
  }

  var targets: [String] {
    lock.lock()
    defer { lock.unlock() }
    return targetLog
  }

  func body(of key: String) -> [UInt8]? {
    lock.lock()
    defer { lock.unlock() }
    return bodies[key]
  }

  func record(_ r: Request) {
    lock.lock()
    log.append("\(r.method) \(r.path)")
    bodies["\(r.method) \(r.path)"] = r.body
    lock.unlock()
  }

  func start() {
    let fd = listenFD
    Thread.detachNewThread { [self] in
      while true {
        let conn = accept(fd, nil, nil)
        if conn < 0 { return }
        Thread.detachNewThread { [self] in serve(conn) }
      }
    }
  }

  func stop() {
    shutdown(listenFD, Int32(SHUT_RDWR))
    close(listenFD)
    unlink(socketPath)
  }

  private func serve(_ conn: Int32) {
    var buffer: [UInt8] = []
    while true {
      guard let request = readRequest(conn, &buffer) else {
        close(conn)
        return
      }
      lock.lock()
      targetLog.append("\(request.method) \(request.version.map { "/v\($0)" } ?? "")\(request.path)")
      lock.unlock()
      let tooNew = request.version.map { Self.isNewer($0, than: maxAPIVersion) } ?? false
      if request.path != "/_ping" && !tooNew { record(request) }
      let reply: Reply
      if request.path == "/_ping" {
        // HEAD (the docker CLI's ping) gets the head only.
        reply = .raw(
          Array(
            "HTTP/1.1 200 OK\r\nApi-Version: \(maxAPIVersion)\r\nContent-Length: 2\r\n\r\n\(request.method == "HEAD" ? "" : "OK")"
              .utf8))
      } else if let version = request.version, tooNew {
        reply = .json(
          400,
          #"{"message":"client version \#(version) is too new. Maximum supported API version is \#(maxAPIVersion)"}"#)
      } else {
        reply = handler(request)
      }
      switch reply {
      case .json(let status, let text):
        let body = Array(text.utf8)
        write(
          conn,
          Array("HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
            + body)
      case .empty(let status):
        write(conn, Array("HTTP/1.1 \(status) X\r\nContent-Length: 0\r\n\r\n".utf8))
      case .raw(let bytes):
        write(conn, bytes)
        if request.path != "/_ping" {
          close(conn)
          return
        }
      case .custom(let body):
        body(conn)
        close(conn)
        return
      }
    }
  }

  func write(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return 0 }
        return Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
      }
      if n <= 0 { return }
      offset += n
    }
  }

  private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> Request? {
    func fill() -> Bool {
      var chunk = [UInt8](repeating: 0, count: 65536)
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { return false }
      buffer += chunk[0..<n]
      return true
    }
    let separator: [UInt8] = [13, 10, 13, 10]
    var headEnd: Int?
    while headEnd == nil {
      if buffer.count >= 4 {
        for i in 0...(buffer.count - 4) where Array(buffer[i..<(i + 4)]) == separator {
          headEnd = i
          break
        }
      }
      if headEnd == nil && !fill() { return nil }
    }
    guard let end = headEnd else { return nil }
    let head = String(decoding: buffer[0..<end], as: UTF8.self)
    buffer.removeSubrange(0..<(end + 4))
    var lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ")
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var body: [UInt8] = []
    if let length = headers["content-length"].flatMap({ Int($0) }) {
      while buffer.count < length { if !fill() { break } }
      body = Array(buffer.prefix(length))
      buffer.removeSubrange(0..<min(length, buffer.count))
    } else if headers["transfer-encoding"]?.contains("chunked") == true {
      // Read until the terminating chunk.
      while !String(decoding: buffer, as: UTF8.self).contains("\r\n0\r\n\r\n")
        && !(buffer.starts(with: Array("0\r\n\r\n".utf8)))
      {
        if !fill() { break }
      }
      var decoder = ChunkedBodyForTests()
      body = decoder.decode(buffer)
      buffer = []
    }
    let target = String(requestLine.count > 1 ? requestLine[1] : "/")
    var path = target
    var query = ""
    if let q = target.firstIndex(of: "?") {
      path = String(target[..<q])
      query = String(target[target.index(after: q)...])
    }
    var version: String?
    if path.hasPrefix("/v1."), let slash = path.dropFirst(1).firstIndex(of: "/") {
      version = String(path[path.index(path.startIndex, offsetBy: 2)..<slash])
      path = String(path[slash...])
    }
    return Request(
      method: String(requestLine[0]), path: path, query: query, headers: headers, body: body, version: version)
  }

  static func isNewer(_ a: String, than b: String) -> Bool {
    let pa = a.split(separator: ".").map { Int($0) ?? 0 }
    let pb = b.split(separator: ".").map { Int($0) ?? 0 }
    return pa.lexicographicallyPrecedes(pb) == false && pa != pb
  }
}

/// Minimal chunked decoding for the fake server (independent of the client's decoder).
struct ChunkedBodyForTests {
  mutating func decode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      guard let lineEnd = (i..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { break }
      let size = Int(String(decoding: bytes[i..<lineEnd], as: UTF8.self), radix: 16) ?? 0
      if size == 0 { break }
      out += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
      i = lineEnd + 2 + size + 2
    }
    return out
  }
}

/// Runs the CLI in-process with stdout/stderr captured.
struct CLIResult {
  var code: Int32
  var stdout: String
  var stderr: String
}

import BerthCommands
import BerthCopy

func runCLI(
  _ arguments: [String], host: String?, stdin: String? = nil, environment: [String: String] = [:]
) -> CLIResult {
  let outPath = "/tmp/berth-test-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  let errPath = outPath + ".err"
  let inPath = outPath + ".in"
  let out = open(outPath, O_RDWR | O_CREAT | O_TRUNC, 0o600)
  let err = open(errPath, O_RDWR | O_CREAT | O_TRUNC, 0o600)
  FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
  let input = open(inPath, O_RDONLY)
  defer {
    close(out)
    close(err)
    close(input)
    unlink(outPath)
    unlink(errPath)
    unlink(inPath)
  }
  var env = environment
  if let host { env["BERTH_HOST"] = host }
  // In `berth` the hook is unset and `cp` execs berth-cp, which would replace this
  // test process: in-process runs do the tar work here.
  if CopyHelper.tarWork == nil { CopyHelper.tarWork = ArchiveTarWork() }
  let code = BerthCLI.main(
    arguments: arguments, environment: env, io: CommandIO(stdin: input, stdout: out, stderr: err))
  let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
  let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
  return CLIResult(code: code, stdout: stdout, stderr: stderr)
}
