import Glibc
import LinuxOS

/// The embedded resolver's address inside a container's namespace, as dockerd's.
public enum ResolverSocket {
  public static let address = "127.0.0.11"

  /// A UDP socket bound to 127.0.0.11:53 inside the namespace at `netnsPath` (a socket
  /// stays in the namespace it was made in, whoever holds it later: the container's shim).
  public static func bind(in netnsPath: String) throws -> Int32 {
    guard let ip = IPAddress(address) else { throw NetworkError.invalidPorts("bad resolver address \(address)") }
    return try Netns.run(in: netnsPath) { try PortReservation.reserve(.udp, address: ip, port: 53).fd }
  }
}
