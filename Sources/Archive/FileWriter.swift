// Background threads that write regular files' data and metadata while the parser
// thread goes on creating the next entries. Only the parser touches names (creating,
// replacing, linking, resolving beneath the root); writers only see descriptors the
// parser opened, so every hostile-layer check stays on one thread, in stream order.
// A file's jobs all go to one thread (by descriptor), in order; the writers own the
// descriptor from its first job on and close it. Queued data is bounded in bytes.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

final class FileWriter: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  // Guarded by `mutex`.
  private var queues: [[FileJob]]
  private var heads: [Int]
  private var queuedBytes = 0
  private var queuedJobs = 0
  private var stopping = false
  private var cancelled = false
  private var firstError: ArchiveError?

  private let maxQueuedBytes: Int
  private var threads: [pthread_t] = []

  private let maxQueuedJobs: Int

  /// `maxQueuedJobs` also bounds the descriptors held open by queued files.
  init(threads count: Int, maxQueuedBytes: Int = 16 << 20, maxQueuedJobs: Int = 256) {
    let n = max(1, count)
    queues = Array(repeating: [], count: n)
    heads = Array(repeating: 0, count: n)
    self.maxQueuedBytes = maxQueuedBytes
    self.maxQueuedJobs = maxQueuedJobs
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(cond, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    pthread_cond_destroy(cond)
    mutex.deallocate()
    cond.deallocate()
  }

  func start() throws {
    for i in 0..<queues.count {
      var t = pthread_t()
      let ctx = Unmanaged.passRetained(Context(writer: self, index: i)).toOpaque()
      let r = pthread_create(
        &t, nil,
        { ctx in
          guard let ctx else { return nil }
          let c = Unmanaged<Context>.fromOpaque(ctx).takeRetainedValue()
          c.writer.work(c.index)
          return nil
        }, ctx)
      guard r == 0 else {
        Unmanaged<Context>.fromOpaque(ctx).release()
        cancel()
        throw Sys.fail("pthread_create", "file writer", r)
      }
      threads.append(t)
    }
  }

  /// The first write or metadata error, if any (the apply must stop).
  var failure: ArchiveError? {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return firstError
  }

  /// Queues `job`, waiting while too much data is queued. Takes ownership of the job's
  /// memory and (when `job.isLast`) its descriptor, even after a failure or cancel.
  func submit(_ job: FileJob) {
    pthread_mutex_lock(mutex)
    while queuedJobs > 0
      && (queuedBytes + job.byteCount > maxQueuedBytes || queuedJobs >= maxQueuedJobs)
      && firstError == nil && !cancelled
    {
      pthread_cond_wait(cond, mutex)
    }
    if firstError != nil || cancelled || threads.isEmpty {
      pthread_mutex_unlock(mutex)
      job.discard()
      return
    }
    let i = Int(job.fd) % queues.count
    queues[i].append(job)
    queuedBytes += job.byteCount
    queuedJobs += 1
    pthread_cond_broadcast(cond)
    pthread_mutex_unlock(mutex)
  }

  /// Waits until every queued job ran, stops the threads, and throws the first error.
  func finish() throws {
    pthread_mutex_lock(mutex)
    stopping = true
    pthread_cond_broadcast(cond)
    pthread_mutex_unlock(mutex)
    join()
    if let e = failure { throw e }
  }

  /// Stops the threads without running what is still queued (closing its descriptors).
  func cancel() {
    pthread_mutex_lock(mutex)
    cancelled = true
    pthread_cond_broadcast(cond)
    pthread_mutex_unlock(mutex)
    join()
    pthread_mutex_lock(mutex)
    for i in queues.indices {
      for job in queues[i][heads[i]...] { job.discard() }
      queues[i] = []
      heads[i] = 0
    }
    queuedBytes = 0
    queuedJobs = 0
    pthread_mutex_unlock(mutex)
  }

  private func join() {
    for t in threads { pthread_join(t, nil) }
    threads = []
  }

  // MARK: writer threads

  private final class Context {
    let writer: FileWriter
    let index: Int
    init(writer: FileWriter, index: Int) {
      self.writer = writer
      self.index = index
    }
  }

  private func work(_ i: Int) {
    pthread_mutex_lock(mutex)
    while true {
      while heads[i] == queues[i].count && !stopping && !cancelled {
        pthread_cond_wait(cond, mutex)
      }
      if cancelled || heads[i] == queues[i].count { break }
      let job = queues[i][heads[i]]
      heads[i] += 1
      if heads[i] == queues[i].count {
        queues[i].removeAll(keepingCapacity: true)
        heads[i] = 0
      }
      let failed = firstError != nil
      pthread_mutex_unlock(mutex)

      var failure: ArchiveError?
      if failed {
        job.discard()
      } else {
        do { try job.run() } catch let e as ArchiveError { failure = e } catch {
          failure = .library(op: "write \(job.path)", message: "\(error)")
        }
        job.release()
      }

      pthread_mutex_lock(mutex)
      queuedJobs -= 1
      queuedBytes -= job.byteCount
      if firstError == nil, let failure { firstError = failure }
      pthread_cond_broadcast(cond)
    }
    pthread_mutex_unlock(mutex)
  }
}
