import Glibc
import LinuxOS

/// Host ports held by a bound socket, so a later host listener gets EADDRINUSE as it would
/// with docker-proxy. TCP sockets are bound, not listening: the traffic itself is DNATed
/// to the container before it could reach them. The fds go to whoever must hold the
/// reservation for the container's lifetime (the shim).
public enum PortReservation {
  /// A bound socket and the port it holds (the kernel's pick when 0 was asked); fd is -1
  /// for SCTP on a kernel without it.
  public struct Reserved: Sendable {
    public var fd: Int32
    public var proto: PortMapping.Proto
    public var address: IPAddress
    public var port: UInt16
  }

  /// Binds `address:port` (port 0: an ephemeral one). nil address: 0.0.0.0, or [::] with
  /// IPV6_V6ONLY when `v6` (so the v4 and v6 reservations stay separate, as docker's).
  public static func reserve(_ proto: PortMapping.Proto, address: IPAddress?, port: UInt16, v6: Bool = false) throws
    -> Reserved
  {
    let address = address ?? IPAddress(isV4: !v6, value: 0)
    let family = address.isV4 ? AF_INET : AF_INET6
    let (type, protocolNumber): (Int32, Int32) =
      switch proto {
      case .tcp: (Int32(SOCK_STREAM.rawValue), 0)
      case .udp: (Int32(SOCK_DGRAM.rawValue), 0)
      case .sctp: (Int32(SOCK_STREAM.rawValue), 132)
      }
    let fd = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), protocolNumber)
    if fd < 0 {
      let err = errno
      // A kernel without SCTP: nothing on this host can listen on it, so there is nothing
      // to reserve (the rule still applies). fd -1 says so.
      if proto == .sctp && (err == EPROTONOSUPPORT || err == ESOCKTNOSUPPORT) && port != 0 {
        return Reserved(fd: -1, proto: proto, address: address, port: port)
      }
      throw SystemError("socket", errno: err, "\(proto.rawValue) \(address)")
    }
    do {
      if !address.isV4 {
        var on: Int32 = 1
        try sys("setsockopt", "IPV6_V6ONLY") {
          setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
      }
      var storage = sockaddr_storage()
      let length = fill(&storage, address, port)
      let rc = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
      }
      if rc != 0 {
        let err = errno
        if err == EADDRINUSE {
          throw NetworkError.portAllocated(proto: proto.rawValue, address: "\(address)", port: port)
        }
        throw SystemError("bind", errno: err, "\(proto.rawValue) \(address):\(port)")
      }
      return Reserved(fd: fd, proto: proto, address: address, port: try boundPort(fd))
    } catch {
      FD.close(fd)
      throw error
    }
  }

  private static func fill(_ storage: inout sockaddr_storage, _ address: IPAddress, _ port: UInt16) -> socklen_t {
    withUnsafeMutablePointer(to: &storage) { pointer in
      if address.isV4 {
        return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
          sin.pointee.sin_family = sa_family_t(AF_INET)
          sin.pointee.sin_port = port.bigEndian
          sin.pointee.sin_addr.s_addr = UInt32(truncatingIfNeeded: address.value).bigEndian
          return socklen_t(MemoryLayout<sockaddr_in>.size)
        }
      }
      return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
        sin6.pointee.sin6_family = sa_family_t(AF_INET6)
        sin6.pointee.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin6.pointee.sin6_addr) { raw in
          for (i, b) in address.bytes.enumerated() { raw[i] = b }
        }
        return socklen_t(MemoryLayout<sockaddr_in6>.size)
      }
    }
  }

  private static func boundPort(_ fd: Int32) throws -> UInt16 {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    try sys("getsockname", "reserved port") {
      withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
    }
    // sin_port and sin6_port sit at the same offset.
    return withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
    }
  }
}
