/// The standard stream a piece of container output belongs to (the first byte of a frame).
public enum StdStream: UInt8, Sendable, Equatable {
  case stdin = 0
  case stdout = 1
  case stderr = 2
}

/// One piece of container output.
public struct OutputChunk: Sendable, Equatable {
  public var stream: StdStream
  public var bytes: [UInt8]

  public init(stream: StdStream, bytes: [UInt8]) {
    self.stream = stream
    self.bytes = bytes
  }
}

/// Container logs: without a TTY, the HTTP layer frames each chunk; with one, writes it raw.
public struct ContainerOutput: Sendable {
  public var tty: Bool
  public var chunks: AsyncThrowingStream<OutputChunk, any Error>

  public init(tty: Bool, chunks: AsyncThrowingStream<OutputChunk, any Error>) {
    self.tty = tty
    self.chunks = chunks
  }
}

/// Docker's stdcopy framing: `[stream, 0, 0, 0, size (big-endian u32)]` then the payload.
public enum StdStreamFrame {
  public static let headerLength = 8

  public static func header(stream: StdStream, length: Int) -> [UInt8] {
    let n = UInt32(truncatingIfNeeded: length)
    return [stream.rawValue, 0, 0, 0, UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)]
  }

  /// One frame (header + payload). Payloads longer than UInt32.max are the caller's problem.
  public static func encode(stream: StdStream, _ payload: [UInt8]) -> [UInt8] {
    header(stream: stream, length: payload.count) + payload
  }

  /// Splits a buffer of whole frames; returns the frames and the bytes of an unfinished tail.
  public static func decode(_ buffer: [UInt8]) -> (frames: [OutputChunk], rest: [UInt8]) {
    var frames: [OutputChunk] = []
    var i = 0
    while buffer.count - i >= headerLength {
      let size =
        Int(buffer[i + 4]) << 24 | Int(buffer[i + 5]) << 16 | Int(buffer[i + 6]) << 8 | Int(buffer[i + 7])
      guard buffer.count - i - headerLength >= size else { break }
      let stream = StdStream(rawValue: buffer[i]) ?? .stdout
      frames.append(OutputChunk(stream: stream, bytes: Array(buffer[(i + headerLength)..<(i + headerLength + size)])))
      i += headerLength + size
    }
    return (frames, Array(buffer[i...]))
  }
}

extension HijackedStream {
  /// Writes container output: framed without a TTY, raw with one. Empty payloads are skipped.
  public func writeOutput(_ bytes: [UInt8], stream: StdStream, tty: Bool) async throws {
    guard !bytes.isEmpty else { return }
    if tty {
      try await write(bytes)
    } else {
      try await write(StdStreamFrame.encode(stream: stream, bytes))
    }
  }
}
