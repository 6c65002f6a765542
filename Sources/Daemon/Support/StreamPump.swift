// A stream read by blocking calls (a shim attachment, a pipe) pumped on one thread of its
// own for as long as the stream lasts — not a thread per chunk, and not a thread of the
// bounded pool, which a hundred open streams would fill. At most `window` chunks wait
// for the consumer; past that the reading thread waits, so a slow client slows the
// reader instead of filling memory.
#if canImport(Glibc)
  import Glibc
#endif
import LinuxOS

final class StreamPump<Chunk: Sendable>: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  private var spaceAvailable = pthread_cond_t()
  // Guarded by `mutex`.
  private var inFlight = 0
  private var cancelled = false
  private let window: Int
  private let continuation: AsyncThrowingStream<Chunk, any Error>.Continuation
  // Used by the one consumer only.
  private var chunks: AsyncThrowingStream<Chunk, any Error>.AsyncIterator
  private var holdsChunk = false

  /// Starts reading: `read` returns nil at the end of the stream.
  init(window: Int = 8, read: @escaping @Sendable () throws -> Chunk?) {
    self.window = window
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: Chunk.self)
    self.continuation = continuation
    chunks = stream.makeAsyncIterator()
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&spaceAvailable, nil)
    DedicatedThread.detach { [self] in pump(read) }
  }

  private func pump(_ read: @Sendable () throws -> Chunk?) {
    do {
      while waitForSpace(), let chunk = try read() {
        continuation.yield(chunk)
      }
      continuation.finish()
    } catch {
      continuation.finish(throwing: error)
    }
  }

  /// False once the consumer has gone.
  private func waitForSpace() -> Bool {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    while inFlight >= window && !cancelled { pthread_cond_wait(&spaceAvailable, &mutex) }
    inFlight += 1
    return !cancelled
  }

  /// The next chunk, nil at the end; asking for it releases the one before. One consumer.
  func next() async throws -> Chunk? {
    if holdsChunk {
      holdsChunk = false
      pthread_mutex_lock(&mutex)
      inFlight -= 1
      pthread_cond_signal(&spaceAvailable)
      pthread_mutex_unlock(&mutex)
    }
    guard let chunk = try await chunks.next() else { return nil }
    holdsChunk = true
    return chunk
  }

  /// The chunks as a stream, for a consumer that wants one.
  var stream: AsyncThrowingStream<Chunk, any Error> {
    AsyncThrowingStream(unfolding: { [self] in try await next() })
  }

  /// The consumer has gone: the reading thread stops after its current read.
  func cancel() {
    pthread_mutex_lock(&mutex)
    cancelled = true
    pthread_cond_signal(&spaceAvailable)
    pthread_mutex_unlock(&mutex)
  }
}
