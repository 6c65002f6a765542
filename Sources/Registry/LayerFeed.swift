// A layer handed to its unpack while it downloads, so that a pull takes about the slower of
// download and decompression rather than their sum. The download records how far each of
// its ranges has been written into the staged file; a thread of the feed copies the part
// that has arrived in order from that file into one end of a socket pair, and the unpack
// reads the other end. Nothing is trusted early: the blob is still verified as a whole
// before it is committed, the unpack checks its diffID, and the puller commits the unpacked
// snapshot only after both. A download that starts over (a registry that ignores Range)
// breaks the feed: the unpack then fails and the puller unpacks the verified blob instead.
import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

final class LayerFeed: Sendable {
  /// What the unpack reads the compressed layer from; closed by `closeReader()`.
  let readFD: Int32
  private let writeFD: Int32
  let size: Int64
  private let signal = DispatchSemaphore(value: 0)
  private let state = Mutex(State())

  private struct State {
    /// The staged file (or the committed blob), open for reading; the pump closes it.
    var source: Int32 = -1
    /// Range start → how far that range has been written.
    var written: [Int64: Int64] = [:]
    var complete = false
    var broken = false
    /// A download of this process wrote into the feed (else it is fed from the store).
    var attached = false
  }

  /// A feed for a blob of `size` bytes, its pump running; nil when no socket pair can be
  /// made (the caller unpacks after the download, as without a feed).
  static func make(size: Int64, log: (String) -> Void) -> LayerFeed? {
    var fds: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
      log("socketpair for a streamed unpack: errno \(errno); unpacking after the download")
      return nil
    }
    let feed = LayerFeed(read: fds[0], write: fds[1], size: size)
    DispatchQueue.global().async { feed.pump() }
    return feed
  }

  private init(read: Int32, write: Int32, size: Int64) {
    readFD = read
    writeFD = write
    self.size = size
    // Room for a few chunks, so the download's progress and the unpack's reads overlap.
    var bytes: Int32 = 4 << 20
    _ = setsockopt(write, SOL_SOCKET, SO_SNDBUF, &bytes, socklen_t(MemoryLayout<Int32>.size))  // a hint only
  }

  /// The download stages the blob at `path`.
  func attach(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    update {
      $0.attached = true
      if fd < 0 { $0.broken = true } else { $0.source = fd }
    }
  }

  /// The range starting at `start` has been written up to (not including) `end`.
  func written(from start: Int64, to end: Int64) {
    update {
      if let before = $0.written[start], end < before { $0.broken = true }
      $0.written[start] = end
    }
  }

  /// The download started over: bytes already handed on cannot be taken back.
  func restart() { update { $0.broken = true } }

  /// The download failed: the unpack sees the stream end early.
  func abort() { update { $0.broken = true } }

  /// The blob is in `store` (downloaded here, by another pull, or there already).
  func finish(openStored: () -> Int32) {
    let attached = state.withLock { $0.attached }
    let fd = attached ? -1 : openStored()
    update {
      $0.complete = true
      if !$0.attached {
        if fd < 0 {
          $0.broken = true
        } else {
          $0.source = fd
          $0.written = [0: size]
        }
      } else {
        $0.written = [0: size]
      }
    }
  }

  /// The unpack is done with the stream (also when it failed): the pump stops.
  func closeReader() { close(readFD) }

  private func update(_ body: (inout State) -> Void) {
    state.withLock { body(&$0) }
    signal.signal()
  }

  /// How far the bytes are there from the start, with no gap.
  private static func contiguous(_ written: [Int64: Int64]) -> Int64 {
    var end: Int64 = 0
    for (start, upTo) in written.sorted(by: { $0.key < $1.key }) {
      guard start <= end else { break }
      end = max(end, upTo)
    }
    return end
  }

  /// Copies what has arrived into the socket until the whole blob went through, the feed
  /// broke, or the unpack stopped reading. Closing the write end tells the unpack the end.
  private func pump() {
    let capacity = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    var fed: Int64 = 0
    var source: Int32 = -1
    defer {
      buffer.deallocate()
      close(writeFD)
      if source >= 0 { close(source) }
    }
    while true {
      signal.wait()
      let (limit, complete, broken): (Int64, Bool, Bool) = state.withLock {
        source = $0.source
        return (Self.contiguous($0.written), $0.complete, $0.broken)
      }
      if broken || source < 0 && limit > 0 { return }
      while fed < limit {
        let n = pread(source, buffer, Int(min(Int64(capacity), limit - fed)), off_t(fed))
        if n < 0 && errno == EINTR { continue }
        guard n > 0, sendAll(buffer, count: n) else { return }
        fed += Int64(n)
      }
      if complete && fed >= size { return }
    }
  }

  /// Writes `count` bytes to the socket; false when the unpack closed its end.
  private func sendAll(_ bytes: UnsafeMutableRawPointer, count: Int) -> Bool {
    var offset = 0
    while offset < count {
      let n = send(writeFD, bytes + offset, count - offset, Int32(MSG_NOSIGNAL))
      if n < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += n
    }
    return true
  }
}
