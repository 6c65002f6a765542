import CBerth
import Glibc

/// File-descriptor level I/O: every call retries EINTR and throws `SystemError`.
public enum FD {
  public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
    try sys("open", path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
  }

  public static func openAt(_ dir: Int32, _ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
    try sys("openat", path) { Glibc.openat(dir, path, flags | O_CLOEXEC, mode) }
  }

  public static func close(_ fd: Int32) {
    _ = Glibc.close(fd)
  }

  public static func write(_ fd: Int32, _ bytes: some Collection<UInt8>) throws {
    let array = Array(bytes)
    var offset = 0
    while offset < array.count {
      let n = try array.withUnsafeBytes { buffer throws in
        guard let base = buffer.baseAddress else { return 0 }
        return try sys("write") { Glibc.write(fd, base + offset, buffer.count - offset) }
      }
      offset += n
    }
  }

  public static func write(_ fd: Int32, _ string: String) throws {
    try write(fd, Array(string.utf8))
  }

  /// Reads up to `max` bytes; an empty result means end of file.
  public static func read(_ fd: Int32, max: Int = 65536) throws -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: max)
    let n = try buffer.withUnsafeMutableBytes { raw throws in
      try sys("read") { Glibc.read(fd, raw.baseAddress, raw.count) }
    }
    buffer.removeSubrange(n...)
    return buffer
  }

  /// Reads until end of file.
  public static func readAll(_ fd: Int32) throws -> [UInt8] {
    var all: [UInt8] = []
    while true {
      let chunk = try read(fd)
      if chunk.isEmpty { return all }
      all += chunk
    }
  }

  /// A pipe whose both ends are close-on-exec.
  public static func pipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    try sys("pipe2") { berth_pipe2(&fds, O_CLOEXEC) }
    return (fds[0], fds[1])
  }

  /// A connected pair of close-on-exec unix stream sockets.
  public static func socketPair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    try sys("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) }
    return (fds[0], fds[1])
  }

  public static func setCloseOnExec(_ fd: Int32, _ on: Bool) throws {
    let flags = try sys("fcntl(F_GETFD)") { fcntl(fd, F_GETFD) }
    let wanted = on ? (flags | FD_CLOEXEC) : (flags & ~FD_CLOEXEC)
    try sys("fcntl(F_SETFD)") { fcntl(fd, F_SETFD, wanted) }
  }

  public static func duplicate(_ fd: Int32, to target: Int32) throws {
    try sys("dup3") { berth_dup3(fd, target, 0) }
  }

  /// Sends `fd` over a unix socket with SCM_RIGHTS, carrying `payload` as data.
  public static func send(fd: Int32, over socket: Int32, payload: [UInt8] = []) throws {
    try payload.withUnsafeBytes { raw throws in
      _ = try sys("sendmsg(SCM_RIGHTS)") { berth_send_fd(socket, fd, raw.baseAddress, raw.count) }
    }
  }

  /// Receives one fd sent with SCM_RIGHTS, and the payload that came with it.
  public static func receiveFD(over socket: Int32) throws -> (fd: Int32, payload: [UInt8]) {
    var payload = [UInt8](repeating: 0, count: 4096)
    var length = 0
    let fd = try payload.withUnsafeMutableBytes { raw throws in
      try sys("recvmsg(SCM_RIGHTS)") { berth_recv_fd(socket, raw.baseAddress, raw.count, &length) }
    }
    return (fd, Array(payload.prefix(length)))
  }
}

/// Writes a line to stderr (fd 2) without touching C's shared FILE streams.
public func printError(_ message: String) {
  try? FD.write(2, message.hasSuffix("\n") ? message : message + "\n")
}

/// O_PATH (an fd that names a file without opening it), missing from Glibc's Swift module.
public let O_PATH: Int32 = 0o10000000
