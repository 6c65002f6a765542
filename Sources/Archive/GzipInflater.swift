// Gzip streams inflated with ISA-L. A stream may hold several members back to back (pigz,
// `cat a.gz b.gz`); each member's CRC-32 and size are checked by ISA-L against its trailer.
// After the last member only zero padding (tape-style blocking) may follow; anything else
// is refused rather than ignored, so that a member boundary the decoder got wrong can never
// silently cut a layer short.
import CISAL

final class GzipInflater: StreamExpander {
  private let input: CompressedInput
  private let state: UnsafeMutablePointer<inflate_state>
  private var phase = Phase.member

  private enum Phase {
    /// Inside a member (its header, deflate data or trailer).
    case member
    /// A member ended; what follows decides between another member and the end.
    case betweenMembers
    case ended
  }

  /// Whether `bytes` begin with the gzip magic number.
  static func startsMember(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
  }

  init(input: CompressedInput) {
    self.input = input
    // Zeroed first: isal_inflate_init sets the fields it reads, not the tables.
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: MemoryLayout<inflate_state>.size, alignment: 64)
    raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<inflate_state>.size)
    state = raw.bindMemory(to: inflate_state.self, capacity: 1)
    isal_inflate_init(state)
    state.pointee.crc_flag = UInt32(ISAL_GZIP)
  }

  deinit { UnsafeMutableRawPointer(state).deallocate() }

  func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
    var produced = 0
    while produced < capacity {
      switch phase {
      case .ended:
        return produced
      case .betweenMembers:
        _ = try input.fill(atLeast: 2)
        guard Self.startsMember(input.available) else {
          guard try restIsZeroPadding() else {
            throw ArchiveError.corruptStream(format: "gzip", reason: "data after the last member")
          }
          phase = .ended
          continue
        }
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        phase = .member
      case .member:
        produced += try inflate(into: buffer + produced, capacity: capacity - produced)
      }
    }
    return produced
  }

  /// One isal_inflate call over the current input window; returns the bytes it wrote.
  private func inflate(into out: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
    if input.available.isEmpty { _ = try input.fill() }
    let window = input.available
    state.pointee.next_in = window.baseAddress.map {
      UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self))
    }
    state.pointee.avail_in = UInt32(window.count)
    state.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
    state.pointee.avail_out = UInt32(min(capacity, Int(UInt32.max)))
    let outBefore = Int(state.pointee.avail_out)
    let status = isal_inflate(state)
    let consumed = window.count - Int(state.pointee.avail_in)
    let written = outBefore - Int(state.pointee.avail_out)
    input.consume(consumed)
    if status < 0 { throw ArchiveError.corruptStream(format: "gzip", reason: Self.reason(status)) }
    if state.pointee.block_state == ISAL_BLOCK_FINISH {
      phase = .betweenMembers
    } else if consumed == 0 && written == 0 {
      // ISA-L needs more input than the window holds (a header or trailer split across
      // reads); ask for at least one more byte.
      guard try input.fill(atLeast: window.count + 1) else {
        throw ArchiveError.corruptStream(format: "gzip", reason: "unexpected end of stream")
      }
    }
    return written
  }

  /// Consumes the rest of the input; true if it is all zero bytes (or nothing).
  private func restIsZeroPadding() throws -> Bool {
    repeat {
      let rest = input.available
      if rest.contains(where: { $0 != 0 }) { return false }
      input.consume(rest.count)
    } while try input.fill()
    return true
  }

  private static func reason(_ status: Int32) -> String {
    switch status {
    case ISAL_INVALID_BLOCK: return "invalid deflate block"
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol"
    case ISAL_INVALID_LOOKBACK: return "back-reference before the start of the data"
    case ISAL_INVALID_WRAPPER: return "invalid gzip header"
    case ISAL_UNSUPPORTED_METHOD: return "compression method is not deflate"
    case ISAL_INCORRECT_CHECKSUM: return "CRC-32 or length does not match the member's trailer"
    default: return "ISA-L inflate error \(status)"
    }
  }
}
