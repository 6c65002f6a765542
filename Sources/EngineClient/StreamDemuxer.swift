import EngineAPI

/// Splits Docker's multiplexed stream (`[stream, 0, 0, 0, size BE u32]` + payload) as bytes
/// arrive; frames may be split across reads.
public struct StreamDemuxer: Sendable {
  private var pending: [UInt8] = []

  public init() {}

  /// Feeds bytes and returns the complete frames they finish.
  public mutating func feed(_ bytes: some Collection<UInt8>) -> [OutputChunk] {
    pending.append(contentsOf: bytes)
    let (frames, rest) = StdStreamFrame.decode(pending)
    pending = rest
    return frames
  }

  /// Bytes of an unfinished frame.
  public var leftover: Int { pending.count }
}
