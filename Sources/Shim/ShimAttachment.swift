import Glibc
import LinuxOS

/// One chunk of a process's output.
public struct ShimOutput: Sendable, Equatable {
  public let stream: ShimStream
  public let bytes: [UInt8]
}

/// An attach (or exec) stream: output from the shim, stdin to it. Blocking calls; one
/// reader and one writer thread may use it at once.
public final class ShimAttachment: @unchecked Sendable {
  public let fd: Int32
  /// With a terminal the output is raw pty bytes (all `.stdout`), else framed.
  public let terminal: Bool
  public let pid: Int32

  init(fd: Int32, terminal: Bool, pid: Int32) {
    self.fd = fd
    self.terminal = terminal
    self.pid = pid
  }

  deinit { FD.close(fd) }

  /// The next chunk of output, or nil once the process's output has ended.
  public func read() throws -> ShimOutput? {
    if terminal {
      let bytes = try FD.read(fd)
      return bytes.isEmpty ? nil : ShimOutput(stream: .stdout, bytes: bytes)
    }
    let header = try ShimSocket.readExactly(fd, ShimWire.frameHeaderSize)
    if header.isEmpty { return nil }
    guard header.count == ShimWire.frameHeaderSize, let stream = ShimStream(rawValue: header[0]) else {
      throw ShimError.protocolViolation("bad output frame header \(header)")
    }
    let length = Int(ShimWire.readBigEndian(header, at: 1))
    let bytes = try ShimSocket.readExactly(fd, length)
    guard bytes.count == length else { throw ShimError.protocolViolation("output frame cut short") }
    return ShimOutput(stream: stream, bytes: bytes)
  }

  /// Reads every chunk until the stream ends.
  public func readAll() throws -> [ShimOutput] {
    var all: [ShimOutput] = []
    while let chunk = try read() { all.append(chunk) }
    return all
  }

  /// Sends stdin bytes.
  public func write(_ bytes: [UInt8]) throws { try ShimSocket.sendAll(fd, bytes) }

  /// Ends stdin (the shim closes the process's stdin if it was started with stdinOnce).
  public func closeWrite() { ShimSocket.shutdownWrite(fd) }

  /// Ends the attachment both ways: a `read` blocked on another thread returns nil.
  public func shutdown() { ShimSocket.shutdownBoth(fd) }
}
