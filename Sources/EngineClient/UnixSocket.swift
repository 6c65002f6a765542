import Glibc
import LinuxOS

/// A connected unix stream socket with a read buffer (for HTTP heads and bodies).
public final class UnixSocket {
  public let fd: Int32
  private var buffer: [UInt8] = []
  private var bufferStart = 0
  private var closed = false

  public init(fd: Int32) { self.fd = fd }

  /// Connects to `path`.
  public static func connect(path: String) throws -> UnixSocket {
    let fd = try sys("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let pathBytes = Array(path.utf8)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard pathBytes.count < capacity else {
      FD.close(fd)
      throw SystemError("connect", errno: ENAMETOOLONG, path)
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, b) in pathBytes.enumerated() { raw[i] = b }
      raw[pathBytes.count] = 0
    }
    let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + 1)
    do {
      try sys("connect", path) {
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
      }
    } catch {
      FD.close(fd)
      throw error
    }
    return UnixSocket(fd: fd)
  }

  deinit { close() }

  public func close() {
    if !closed {
      closed = true
      FD.close(fd)
    }
  }

  public func write(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let n = try bytes.withUnsafeBytes { raw in
        try sys("send") { send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL)) }
      }
      offset += n
    }
  }

  public func write(_ string: String) throws { try write(Array(string.utf8)) }

  /// Half-closes the write side (stdin ended).
  public func shutdownWrite() {
    _ = shutdown(fd, Int32(SHUT_WR))
  }

  /// Bytes already read from the socket but not consumed yet.
  public var hasBuffered: Bool { bufferStart < buffer.count }

  /// Takes whatever is buffered.
  public func takeBuffered() -> [UInt8] {
    let out = Array(buffer[bufferStart...])
    buffer.removeAll(keepingCapacity: true)
    bufferStart = 0
    return out
  }

  /// Reads more bytes from the socket into the buffer; false at end of stream.
  @discardableResult
  func fill() throws -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    let n = try chunk.withUnsafeMutableBytes { raw in
      try sys("recv") { recv(fd, raw.baseAddress, raw.count, 0) }
    }
    if n == 0 { return false }
    if bufferStart > 0 && bufferStart == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      bufferStart = 0
    }
    buffer.append(contentsOf: chunk[0..<n])
    return true
  }

  /// Reads some bytes: buffered ones first, else one recv; empty at end of stream.
  public func readSome() throws -> [UInt8] {
    if hasBuffered { return takeBuffered() }
    guard try fill() else { return [] }
    return takeBuffered()
  }

  /// Reads exactly `count` bytes, or fewer at end of stream.
  public func read(count: Int) throws -> [UInt8] {
    while buffer.count - bufferStart < count {
      guard try fill() else { break }
    }
    let end = min(buffer.count, bufferStart + count)
    let out = Array(buffer[bufferStart..<end])
    bufferStart = end
    return out
  }

  /// Reads up to and including CRLF (returned without it); nil at end of stream.
  public func readLine(limit: Int = 1 << 20) throws -> String? {
    var searchFrom = bufferStart
    while true {
      if let lf = buffer[searchFrom...].firstIndex(of: 0x0A) {
        var end = lf
        if end > bufferStart, buffer[end - 1] == 0x0D { end -= 1 }
        let line = String(decoding: buffer[bufferStart..<end], as: UTF8.self)
        bufferStart = lf + 1
        return line
      }
      searchFrom = buffer.count
      if buffer.count - bufferStart > limit { throw EngineClientError.protocolError("line too long from daemon") }
      guard try fill() else {
        if bufferStart < buffer.count {
          let line = String(decoding: buffer[bufferStart...], as: UTF8.self)
          bufferStart = buffer.count
          return line
        }
        return nil
      }
    }
  }
}
