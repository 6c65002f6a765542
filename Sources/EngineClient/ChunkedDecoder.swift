/// Incremental decoder for HTTP/1.1 `Transfer-Encoding: chunked` bodies.
public struct ChunkedDecoder: Sendable {
  enum State: Sendable {
    case size
    case extensionOrSizeEnd
    case sizeLF
    case data(remaining: Int)
    case dataCR
    case dataLF
    case trailer(lineEmpty: Bool)
    case trailerLF(lineEmpty: Bool)
    case done
  }

  var state: State = .size
  var size = 0
  var sawDigit = false

  public init() {}

  public var isFinished: Bool {
    if case .done = state { return true }
    return false
  }

  /// Feeds raw bytes; returns the decoded payload they contain. Bytes after the final chunk
  /// are ignored.
  public mutating func feed(_ input: some Collection<UInt8>) throws -> [UInt8] {
    var out: [UInt8] = []
    var bytes = Array(input)[...]
    while let c = bytes.first {
      switch state {
      case .done:
        return out
      case .size:
        if let digit = Self.hexValue(c) {
          guard size < (1 << 40) else { throw EngineClientError.protocolError("chunk size too large") }
          size = size * 16 + digit
          sawDigit = true
          bytes = bytes.dropFirst()
        } else if sawDigit {
          state = .extensionOrSizeEnd
        } else {
          throw EngineClientError.protocolError("bad chunk size")
        }
      case .extensionOrSizeEnd:
        bytes = bytes.dropFirst()
        if c == 0x0D {
          state = .sizeLF
        } else if c == 0x0A {
          startChunk()
        }
      case .sizeLF:
        bytes = bytes.dropFirst()
        guard c == 0x0A else { throw EngineClientError.protocolError("bad chunk header") }
        startChunk()
      case .data(let remaining):
        let n = min(remaining, bytes.count)
        out.append(contentsOf: bytes.prefix(n))
        bytes = bytes.dropFirst(n)
        state = remaining - n == 0 ? .dataCR : .data(remaining: remaining - n)
      case .dataCR:
        bytes = bytes.dropFirst()
        if c == 0x0D {
          state = .dataLF
        } else if c == 0x0A {
          resetSize()
        } else {
          throw EngineClientError.protocolError("missing CRLF after chunk")
        }
      case .dataLF:
        bytes = bytes.dropFirst()
        guard c == 0x0A else { throw EngineClientError.protocolError("missing LF after chunk") }
        resetSize()
      case .trailer(let lineEmpty):
        bytes = bytes.dropFirst()
        if c == 0x0D {
          state = .trailerLF(lineEmpty: lineEmpty)
        } else if c == 0x0A {
          state = lineEmpty ? .done : .trailer(lineEmpty: true)
        } else {
          state = .trailer(lineEmpty: false)
        }
      case .trailerLF(let lineEmpty):
        bytes = bytes.dropFirst()
        state = lineEmpty ? .done : .trailer(lineEmpty: true)
      }
    }
    return out
  }

  private mutating func startChunk() {
    if size == 0 {
      state = .trailer(lineEmpty: true)
    } else {
      state = .data(remaining: size)
    }
  }

  private mutating func resetSize() {
    size = 0
    sawDigit = false
    state = .size
  }

  static func hexValue(_ c: UInt8) -> Int? {
    switch c {
    case 0x30...0x39: Int(c - 0x30)
    case 0x41...0x46: Int(c - 0x41 + 10)
    case 0x61...0x66: Int(c - 0x61 + 10)
    default: nil
    }
  }
}
