import Glibc
import LinuxOS

/// A plain connected stream socket (unix or TCP).
public final class SocketTransport: ByteTransport {
  public let fd: Int32
  private var closed = false

  public init(fd: Int32) { self.fd = fd }

  deinit { close() }

  /// Connects to the unix socket at `path`.
  public static func connect(path: String) throws -> SocketTransport {
    let fd = try sys("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let pathBytes = Array(path.utf8)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard pathBytes.count < capacity else {
      FD.close(fd)
      throw SystemError("connect", errno: ENAMETOOLONG, path)
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, b) in pathBytes.enumerated() { raw[i] = b }
      raw[pathBytes.count] = 0
    }
    let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + 1)
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
    return SocketTransport(fd: fd)
  }

  /// Connects to `host:port`, trying each address the name resolves to in turn
  /// (`localhost` may list ::1 first while the daemon listens on 127.0.0.1 only).
  public static func connect(host: String, port: Int) throws -> SocketTransport {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_ADDRCONFIG
    var list: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(host, String(port), &hints, &list)
    guard rc == 0 else {
      throw SystemError("getaddrinfo", errno: EHOSTUNREACH, "\(host): \(String(cString: gai_strerror(rc)))")
    }
    defer { freeaddrinfo(list) }
    var lastError = SystemError("connect", errno: EHOSTUNREACH, "\(host):\(port)")
    var entry = list
    while let info = entry?.pointee {
      entry = info.ai_next
      let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
      if fd < 0 {
        lastError = SystemError("socket", errno: errno)
        continue
      }
      if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 {
        // Requests are small writes followed by a read: do not let Nagle hold them back.
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return SocketTransport(fd: fd)
      }
      lastError = SystemError("connect", errno: errno, "\(host):\(port)")
      FD.close(fd)
    }
    throw lastError
  }

  public var hasPendingData: Bool { false }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    try sys("recv") { recv(fd, buffer.baseAddress, buffer.count, 0) }
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws -> Int {
    try sys("send") { send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
  }

  public func shutdownWrite() {
    _ = shutdown(fd, Int32(SHUT_WR))
  }

  public func close() {
    if !closed {
      closed = true
      FD.close(fd)
    }
  }
}
