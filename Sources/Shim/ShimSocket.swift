import Glibc
import LinuxOS

/// Unix stream sockets and non-blocking I/O, each call through LinuxOS's `sys` wrapper.
enum ShimSocket {
  /// Binds and listens on `path` (an old socket file there is replaced).
  static func listen(path: String, nonBlocking: Bool = true) throws -> Int32 {
    var address = try makeAddress(path)
    let fd = try newSocket(nonBlocking: nonBlocking)
    unlink(path)
    do {
      let length = socklen_t(MemoryLayout<sockaddr_un>.size)
      try sys("bind", path) {
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
      }
      try sys("listen", path) { Glibc.listen(fd, 64) }
    } catch {
      FD.close(fd)
      throw error
    }
    return fd
  }

  /// A blocking connection to the socket at `path`.
  static func connect(path: String) throws -> Int32 {
    var address = try makeAddress(path)
    let fd = try newSocket(nonBlocking: false)
    let length = socklen_t(MemoryLayout<sockaddr_un>.size)
    do {
      try sys("connect", path) {
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
      }
    } catch {
      FD.close(fd)
      throw error
    }
    return fd
  }

  /// Accepts one pending connection (non-blocking, close-on-exec), or nil when none is
  /// pending. (accept4 is not in Swift's Glibc; the shim is single-threaded, so setting
  /// the flags afterwards races with no spawn.)
  static func accept(_ listener: Int32) throws -> Int32? {
    while true {
      let fd = Glibc.accept(listener, nil, nil)
      if fd >= 0 {
        do {
          try FD.setCloseOnExec(fd, true)
          try setNonBlocking(fd)
        } catch {
          FD.close(fd)
          throw error
        }
        return fd
      }
      switch errno {
      case EINTR: continue
      case EAGAIN, ECONNABORTED: return nil
      default: throw SystemError("accept4", errno: errno)
      }
    }
  }

  static func setNonBlocking(_ fd: Int32) throws {
    let flags = try sys("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
    try sys("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
  }

  static func shutdownWrite(_ fd: Int32) {
    _ = Glibc.shutdown(fd, Int32(SHUT_WR))
  }

  static func shutdownBoth(_ fd: Int32) {
    _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
  }

  enum ReadResult {
    case data([UInt8])
    case endOfFile
    case wouldBlock
  }

  /// One read from a non-blocking fd. EIO (a pty master whose slave is closed) and
  /// ECONNRESET count as end of file.
  static func readAvailable(_ fd: Int32, max: Int = 32768) -> ReadResult {
    var buffer = [UInt8](repeating: 0, count: max)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        buffer.removeSubrange(n...)
        return .data(buffer)
      }
      if n == 0 { return .endOfFile }
      switch errno {
      case EINTR: continue
      case EAGAIN: return .wouldBlock
      default: return .endOfFile
      }
    }
  }

  /// Writes what the fd takes now; returns the count, or nil when the peer is gone.
  /// Sockets get MSG_NOSIGNAL; other fds rely on SIGPIPE being blocked.
  static func writeAvailable(_ fd: Int32, _ bytes: [UInt8], socket: Bool) -> Int? {
    if bytes.isEmpty { return 0 }
    while true {
      let n = bytes.withUnsafeBytes { raw in
        socket
          ? Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
          : Glibc.write(fd, raw.baseAddress, raw.count)
      }
      if n >= 0 { return n }
      switch errno {
      case EINTR: continue
      case EAGAIN: return 0
      default: return nil
      }
    }
  }

  /// Blocking: sends every byte (MSG_NOSIGNAL, so a closed peer is an error, not SIGPIPE).
  static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let n = try bytes.withUnsafeBytes { raw in
        try sys("send") { Glibc.send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL)) }
      }
      offset += n
    }
  }

  /// Blocking: reads exactly `count` bytes, or fewer at end of file.
  static func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(count)
    while result.count < count {
      let chunk = try FD.read(fd, max: count - result.count)
      if chunk.isEmpty { break }
      result += chunk
    }
    return result
  }

  private static func newSocket(nonBlocking: Bool) throws -> Int32 {
    var type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
    return try sys("socket") { socket(AF_UNIX, type, 0) }
  }

  private static func makeAddress(_ path: String) throws -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
      throw ShimError.invalidArgument(
        "socket path \(path) is \(bytes.count) bytes, longer than a unix socket allows (107); use a shorter state directory"
      )
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    return address
  }
}
