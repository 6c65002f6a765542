import EngineAPI
import NIOCore

/// Bytes arriving on a connection (a streamed request body, or a hijacked client's stdin),
/// handed to async code with backpressure: when the consumer falls behind, the owning
/// channel handler stops reading from the socket (`ReadGate`) until it catches up.
final class InboundByteReader: @unchecked Sendable {
  typealias Producer = NIOThrowingAsyncSequenceProducer<
    ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Delegate
  >

  struct Delegate: NIOAsyncSequenceProducerDelegate {
    let onProduceMore: @Sendable () -> Void
    let onTerminate: @Sendable () -> Void
    func produceMore() { onProduceMore() }
    func didTerminate() { onTerminate() }
  }

  private let source: Producer.Source
  // The iterator is a handle on the producer's shared state; `next()` is not mutating.
  // Only one task consumes a reader at a time (the route, or the backend's stream reads).
  private let iterator: Producer.AsyncIterator

  /// - Parameters:
  ///   - resume: called (any thread) when the consumer wants more after a pause.
  ///   - terminated: called (any thread) when the consumer went away.
  init(resume: @escaping @Sendable () -> Void, terminated: @escaping @Sendable () -> Void = {}) {
    let made = Producer.makeSequence(
      backPressureStrategy: .init(lowWatermark: 2, highWatermark: 16),
      finishOnDeinit: true,
      delegate: Delegate(onProduceMore: resume, onTerminate: terminated))
    source = made.source
    iterator = made.sequence.makeAsyncIterator()
  }

  /// Adds bytes; returns false when the producer wants the reads paused.
  func yield(_ buffer: ByteBuffer) -> Bool {
    switch source.yield(buffer) {
    case .produceMore: true
    case .stopProducing: false
    case .dropped: true
    }
  }

  func finish() { source.finish() }
  func finish(_ error: any Error) { source.finish(error) }

  /// The next bytes; nil at the end. One consumer at a time.
  func next() async throws -> [UInt8]? {
    guard let buffer = try await iterator.next() else { return nil }
    return Array(buffer.readableBytesView)
  }

  /// The bytes as the backend's `ByteStream`.
  var byteStream: ByteStream {
    AsyncThrowingStream(unfolding: { [self] in try await self.next() })
  }
}

/// Read pausing for a channel handler: hold `read()` while the consumer is behind.
struct ReadGate {
  private(set) var paused = false
  private var pendingRead = false

  /// From the handler's outbound `read(context:)`: true when the read should be passed on.
  mutating func shouldRead() -> Bool {
    if paused {
      pendingRead = true
      return false
    }
    return true
  }

  mutating func pause() { paused = true }

  /// Unpauses; returns true when a read was held and must be issued now.
  mutating func resume() -> Bool {
    paused = false
    defer { pendingRead = false }
    return pendingRead
  }
}
