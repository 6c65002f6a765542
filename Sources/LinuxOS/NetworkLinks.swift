import CBerth
import Glibc

/// Network interface flags through the classic SIOC[GS]IFFLAGS ioctls: no netlink
/// socket and no parsing, enough to bring an interface up in the current namespace.
public enum NetworkLinks {
  static let getFlagsRequest: UInt = 0x8913  // SIOCGIFFLAGS
  static let setFlagsRequest: UInt = 0x8914  // SIOCSIFFLAGS
  static let upFlag: Int16 = 0x1  // IFF_UP

  /// Sets IFF_UP on the interface `name` (e.g. "lo") of the current network namespace.
  public static func bringUp(_ name: String) throws {
    let socket = try sys("socket", "AF_INET for \(name)") {
      Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }
    defer { FD.close(socket) }
    var request = ifreq()
    let nameBytes = Array(name.utf8)
    guard nameBytes.count < Int(IFNAMSIZ) else { throw SystemError("ioctl", errno: EINVAL, "interface name \(name)") }
    withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { raw in
      for (index, byte) in nameBytes.enumerated() { raw[index] = byte }
    }
    _ = try sys("ioctl(SIOCGIFFLAGS)", name) { berth_ioctl_ptr(socket, getFlagsRequest, &request) }
    if request.ifr_ifru.ifru_flags & upFlag != 0 { return }
    request.ifr_ifru.ifru_flags |= upFlag
    _ = try sys("ioctl(SIOCSIFFLAGS)", name) { berth_ioctl_ptr(socket, setFlagsRequest, &request) }
  }
}
