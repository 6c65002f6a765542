// Blocking work (file I/O, the runtime's commands, shim requests) on a bounded set of OS
// threads, so it never holds one of Swift concurrency's few cooperative threads and a burst
// of calls cannot make hundreds of threads. Work that blocks for as long as a stream lasts
// does not belong here: `StreamPump` gives each stream one thread of its own.
#if canImport(Glibc)
  import Glibc
#endif
import LinuxOS

final class BlockingPool: @unchecked Sendable {
  /// berthd's pool. Sixteen threads: a container start holds one for a few milliseconds, a
  /// commit or an image removal for longer; the rest of the API keeps going meanwhile.
  static let shared = BlockingPool(maxThreads: 16)

  private let maxThreads: Int
  private var mutex = pthread_mutex_t()
  private var workAvailable = pthread_cond_t()
  // Guarded by `mutex`.
  private var queue: [@Sendable () -> Void] = []
  private var threads = 0
  private var idle = 0

  init(maxThreads: Int) {
    self.maxThreads = maxThreads
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&workAvailable, nil)
  }

  /// Queues `job`; a thread is started when none is idle and the pool is not full.
  func submit(_ job: @escaping @Sendable () -> Void) {
    pthread_mutex_lock(&mutex)
    queue.append(job)
    let startThread = idle == 0 && threads < maxThreads
    if startThread { threads += 1 }
    pthread_cond_signal(&workAvailable)
    pthread_mutex_unlock(&mutex)
    if startThread && !Threads.start({ [self] in work() }) {
      pthread_mutex_lock(&mutex)
      threads -= 1
      let alone = threads == 0
      pthread_mutex_unlock(&mutex)
      // No thread could be made and none is left to take the queue: run it here.
      if alone { drainHere() }
    }
  }

  private func work() {
    while let job = next() { job() }
  }

  /// The next job, waiting for one; the pool's threads live as long as berthd.
  private func next() -> (@Sendable () -> Void)? {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    while queue.isEmpty {
      idle += 1
      pthread_cond_wait(&workAvailable, &mutex)
      idle -= 1
    }
    return queue.removeFirst()
  }

  private func drainHere() {
    while true {
      pthread_mutex_lock(&mutex)
      let job = queue.isEmpty ? nil : queue.removeFirst()
      pthread_mutex_unlock(&mutex)
      guard let job else { return }
      job()
    }
  }

  /// Runs `body` on the pool and returns its result.
  func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
      submit {
        do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
      }
    }
  }

  /// Runs `body`, which cannot fail, on the pool.
  func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
      submit { c.resume(returning: body()) }
    }
  }
}

/// One OS thread for the life of a long blocking wait (a container's exit through its shim,
/// berthd's shutdown signal).
enum DedicatedThread {
  static func detach(_ body: @escaping @Sendable () -> Void) { Threads.detach(body) }

  /// Runs `body` on a thread of its own and returns its result.
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
      detach {
        do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
      }
    }
  }
}
