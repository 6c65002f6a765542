// The compressed layer as read from its descriptor: large reads into one buffer, and a
// window of unconsumed bytes that the decoders take from. The window lets the format be
// sniffed from the first bytes even when the descriptor is a pipe or a socket.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

final class CompressedInput {
  private let fd: Int32
  private let buffer: UnsafeMutableRawPointer
  private let capacity: Int
  /// The unconsumed bytes are buffer[start..<end].
  private var start = 0
  private var end = 0
  private(set) var atEOF = false
  /// Bytes read from the descriptor so far (what the compression-ratio bound divides by).
  private(set) var bytesRead: Int64 = 0

  init(fd: Int32, capacity: Int = 1 << 20) {
    self.fd = fd
    self.capacity = capacity
    buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
  }

  deinit { buffer.deallocate() }

  /// The bytes read but not yet consumed; valid until the next `fill`.
  var available: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: buffer + start, count: end - start)
  }

  func consume(_ count: Int) {
    precondition(count <= end - start, "consumed more than was available")
    start += count
  }

  /// Reads until at least `count` bytes are available (one read when any will do).
  /// Returns false when the stream ends first or `count` exceeds the buffer.
  func fill(atLeast count: Int = 1) throws -> Bool {
    if end - start >= count { return true }
    guard count <= capacity else { return false }
    if start == end {
      start = 0
      end = 0
    } else if capacity - start < count {
      // Move the unconsumed tail to the front so `count` bytes fit.
      memmove(buffer, buffer + start, end - start)
      end -= start
      start = 0
    }
    while end - start < count && !atEOF {
      let n = read(fd, buffer + end, capacity - end)
      if n < 0 {
        if errno == EINTR { continue }
        throw Sys.fail("read", "layer stream")
      }
      if n == 0 { atEOF = true }
      end += n
      bytesRead += Int64(n)
    }
    return end - start >= count
  }
}
