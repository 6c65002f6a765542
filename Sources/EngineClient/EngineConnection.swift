/// A connection to the daemon with a read buffer (for HTTP heads and bodies) over a
/// plain socket or TLS.
public final class EngineConnection {
  public let transport: any ByteTransport
  private var buffer: [UInt8] = []
  private var bufferStart = 0

  public init(transport: any ByteTransport) { self.transport = transport }

  /// The socket to poll(2).
  public var fd: Int32 { transport.fd }

  deinit { close() }

  public func close() { transport.close() }

  public func write(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      offset += try bytes.withUnsafeBytes { raw in
        try transport.write(UnsafeRawBufferPointer(rebasing: raw[offset...]))
      }
    }
  }

  public func write(_ string: String) throws { try write(Array(string.utf8)) }

  /// Half-closes the write side (stdin ended).
  public func shutdownWrite() { transport.shutdownWrite() }

  /// Whether a read would return without waiting on the socket: bytes buffered here or
  /// in the transport (decrypted TLS records), which poll(2) does not report.
  public var hasPendingInput: Bool { hasBuffered || transport.hasPendingData }

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
    let n = try chunk.withUnsafeMutableBytes { try transport.read(into: $0) }
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
