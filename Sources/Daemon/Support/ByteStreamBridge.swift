// Bridges between the API's async byte streams and the image library's blocking fds:
// a request body (load, import) becomes a socket the library reads; a tar the library
// writes (save) becomes a response stream. Sockets, not pipes: a send to a reader that gave
// up fails with EPIPE instead of raising SIGPIPE (MSG_NOSIGNAL).
import EngineAPI
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

enum ByteStreamBridge {
  /// A connected stream socket pair (CLOEXEC).
  static func socketPair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    let rc = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
    guard rc == 0 else { throw DaemonError.system("socketpair: \(String(cString: strerror(errno)))") }
    return (fds[0], fds[1])
  }

  /// Runs `consume` on a thread with an fd that yields `body`'s bytes, then EOF.
  static func consume<T: Sendable>(
    _ body: ByteStream, _ consume: @escaping @Sendable (Int32) throws -> T
  ) async throws -> T {
    let (reader, writer) = try socketPair()
    let pump = Task {
      defer { FD.close(writer) }
      do {
        for try await chunk in body {
          try await sendAll(writer, chunk)
        }
      } catch {
        // The reader gave up (EPIPE) or the client went away: the consumer sees EOF or an error.
        DaemonLog.engine.debug("request body not passed on whole: \(error)")
      }
      shutdown(writer, Int32(SHUT_WR))
    }
    defer { pump.cancel() }
    do {
      // As long as the upload lasts: a thread of its own, not one of the pool's.
      let result = try await DedicatedThread.run { () throws -> T in
        defer { FD.close(reader) }
        return try consume(reader)
      }
      return result
    }
  }

  /// Sends all bytes without blocking a cooperative thread: non-blocking first, and only
  /// when the socket is full, a blocking wait on its own thread.
  static func sendAll(_ fd: Int32, _ bytes: [UInt8]) async throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { raw in
        send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
      }
      if n > 0 {
        offset += n
        continue
      }
      let err = errno
      if n < 0 && err == EINTR { continue }
      guard n < 0 && (err == EAGAIN || err == EWOULDBLOCK) else {
        throw DaemonError.system("send: \(String(cString: strerror(err)))")
      }
      try await BlockingPool.shared.run {
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&p, 1, 1000)
      }
    }
  }

  /// Runs `produce` on a thread writing into an fd; the returned stream yields what it wrote.
  static func produce(_ produce: @escaping @Sendable (Int32) throws -> Void) throws -> ByteStream {
    let (reader, writer) = try socketPair()
    let failure = ErrorBox()
    DedicatedThread.detach {
      do { try produce(writer) } catch { failure.set(error) }
      FD.close(writer)
    }
    let readerBox = FDBox(reader)
    let pump = StreamPump { () throws -> [UInt8]? in
      let chunk = try FD.read(readerBox.fd, max: 256 * 1024)
      if chunk.isEmpty {
        readerBox.close()
        if let e = failure.get() { throw e }
        return nil
      }
      return chunk
    }
    return pump.stream
  }
}

/// An error set by one thread and read by another.
final class ErrorBox: @unchecked Sendable {
  private var error: (any Error)?
  private var lock = pthread_mutex_t()
  init() { pthread_mutex_init(&lock, nil) }
  deinit { pthread_mutex_destroy(&lock) }
  func set(_ e: any Error) {
    pthread_mutex_lock(&lock)
    error = e
    pthread_mutex_unlock(&lock)
  }
  func get() -> (any Error)? {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    return error
  }
}

/// An fd closed once, at the end of the stream or when the stream is dropped.
final class FDBox: @unchecked Sendable {
  private var value: Int32
  private var lock = pthread_mutex_t()
  init(_ fd: Int32) {
    value = fd
    pthread_mutex_init(&lock, nil)
  }
  var fd: Int32 {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    return value
  }
  func close() {
    pthread_mutex_lock(&lock)
    let fd = value
    value = -1
    pthread_mutex_unlock(&lock)
    if fd >= 0 { FD.close(fd) }
  }
  deinit {
    close()
    pthread_mutex_destroy(&lock)
  }
}
