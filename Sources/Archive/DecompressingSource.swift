// Decompresses a (tar) stream on its own thread into a small ring of buffers, so that
// decompression overlaps with parsing and writing files. Also enforces the
// decompression-bomb bounds, since it is the one place that sees both byte counts.
// The decoder is chosen from the stream's first bytes (StreamExpanders).
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

final class DecompressingSource: @unchecked Sendable {
  // Shared state, guarded by `mutex`.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var free: [Int] = []
  private var filled: [(slot: Int, count: Int)] = []
  private var finished = false
  private var cancelled = false
  private(set) var error: ArchiveError?

  private let slots: [UnsafeMutableRawPointer]
  private let slotSize: Int
  private let fd: Int32
  private let maxBytes: Int64
  private let maxRatio: Int64
  private let ratioGrace: Int64
  private var thread: pthread_t?
  private var holding: Int?

  /// Bytes read from the source (compressed) and produced (expanded); written by the
  /// producer, read by the consumer after `finish`.
  private(set) var compressedBytes: Int64 = 0
  private(set) var expandedBytes: Int64 = 0

  /// Sees every expanded byte in order, on the producer thread (set before `start`), so
  /// that hashing the stream overlaps with writing files on the consumer's side.
  var observe: ((UnsafeRawBufferPointer) -> Void)?

  init(
    fd: Int32, maxBytes: Int64, maxRatio: Int64, ratioGrace: Int64, slotCount: Int = 4,
    slotSize: Int = 1 << 20
  ) {
    self.fd = fd
    self.maxBytes = maxBytes
    self.maxRatio = maxRatio
    self.ratioGrace = ratioGrace
    self.slotSize = slotSize
    self.slots = (0..<slotCount).map { _ in
      UnsafeMutableRawPointer.allocate(byteCount: slotSize, alignment: 64)
    }
    self.free = Array(0..<slotCount)
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(cond, nil)
  }

  deinit {
    for s in slots { s.deallocate() }
    pthread_mutex_destroy(mutex)
    pthread_cond_destroy(cond)
    mutex.deallocate()
    cond.deallocate()
  }

  func start() throws {
    var t = pthread_t()
    let ctx = Unmanaged.passRetained(self).toOpaque()
    let r = pthread_create(
      &t, nil,
      { ctx in
        guard let ctx else { return nil }
        let me = Unmanaged<DecompressingSource>.fromOpaque(ctx).takeRetainedValue()
        me.produce()
        return nil
      }, ctx)
    guard r == 0 else {
      Unmanaged<DecompressingSource>.fromOpaque(ctx).release()
      throw Sys.fail("pthread_create", "decompressor", r)
    }
    thread = t
  }

  /// Stops the producer (if still running) and waits for it.
  func finish() {
    pthread_mutex_lock(mutex)
    cancelled = true
    pthread_cond_broadcast(cond)
    pthread_mutex_unlock(mutex)
    if let t = thread {
      pthread_join(t, nil)
      thread = nil
    }
  }

  /// The next chunk of expanded bytes (valid until the next call), empty at the end.
  /// Throws the producer's error (I/O, corrupt stream, bomb bound).
  func next() throws -> UnsafeRawBufferPointer {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    if let h = holding {
      free.append(h)
      holding = nil
      pthread_cond_broadcast(cond)
    }
    while filled.isEmpty && !finished { pthread_cond_wait(cond, mutex) }
    if !filled.isEmpty {
      let f = filled.removeFirst()
      holding = f.slot
      return UnsafeRawBufferPointer(start: slots[f.slot], count: f.count)
    }
    if let error { throw error }
    return UnsafeRawBufferPointer(start: nil, count: 0)
  }

  // MARK: producer thread

  private func produce() {
    var failure: ArchiveError?
    do {
      let input = CompressedInput(fd: fd)
      failure = try pump(StreamExpanders.open(input), input)
    } catch let e as ArchiveError {
      failure = e
    } catch {
      failure = .library(op: "decompress layer", message: "\(error)")
    }
    pthread_mutex_lock(mutex)
    error = failure
    finished = true
    pthread_cond_broadcast(cond)
    pthread_mutex_unlock(mutex)
  }

  private func pump(_ expander: StreamExpander, _ input: CompressedInput) throws -> ArchiveError? {
    while true {
      pthread_mutex_lock(mutex)
      while free.isEmpty && !cancelled { pthread_cond_wait(cond, mutex) }
      if cancelled {
        pthread_mutex_unlock(mutex)
        return nil
      }
      let slot = free.removeFirst()
      pthread_mutex_unlock(mutex)

      var count = 0
      var eof = false
      while count < slotSize {
        let n = try expander.read(into: slots[slot] + count, capacity: slotSize - count)
        if n == 0 {
          eof = true
          break
        }
        count += n
      }
      // The bomb bounds, checked once per slot (so at most one slot past a bound).
      expandedBytes += Int64(count)
      compressedBytes = input.bytesRead
      if expandedBytes > maxBytes { return .expandedSizeLimit(limit: maxBytes) }
      if expandedBytes > ratioGrace && expandedBytes > maxRatio * max(compressedBytes, 1) {
        return .compressionRatioLimit(limit: maxRatio)
      }
      if count > 0 { observe?(UnsafeRawBufferPointer(start: slots[slot], count: count)) }
      pthread_mutex_lock(mutex)
      if count > 0 { filled.append((slot, count)) } else { free.append(slot) }
      pthread_cond_broadcast(cond)
      pthread_mutex_unlock(mutex)
      if eof { return nil }
    }
  }

  static func message(_ a: OpaquePointer?) -> String {
    archive_error_string(a).map { String(cString: $0) } ?? "unknown libarchive error"
  }
}
