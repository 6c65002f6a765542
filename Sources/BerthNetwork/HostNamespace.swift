import Glibc
import LinuxOS

/// Where bridges, rules and reservations live: berthd's own network namespace, or (tests)
/// a namespace standing in for the host. Spawned tools and /proc/sys writes inherit the
/// namespace of the calling thread, so work for another one runs on a thread inside it.
final class HostNamespace: @unchecked Sendable {
  let path: String?
  let netlink: NetlinkSocket

  init(path: String?) throws {
    self.path = path
    netlink = try path.map { try Netns.netlink(in: $0) } ?? NetlinkSocket()
  }

  func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) throws -> R {
    guard let path else { return try body() }
    return try Netns.run(in: path, body)
  }

  /// Writes a /proc/sys/net value of this namespace.
  func sysctl(_ key: String, _ value: String) throws {
    try run { try Files.writeKernelFile("/proc/sys/" + key.replacingDots(), value) }
  }

  func readSysctl(_ key: String) throws -> String {
    try run { try Files.readString("/proc/sys/" + key.replacingDots()).filter { !$0.isWhitespace } }
  }

  /// Subnets in use on the host: its routes (not the default ones) and its addresses.
  func usedSubnets() throws -> [Subnet] {
    let routes = try netlink.routes().map(\.destination).filter { $0.prefix > 0 }
    let addresses = try netlink.addresses().map(\.address.canonical)
    return routes + addresses
  }
}

extension String {
  /// "net.ipv4.ip_forward" → "net/ipv4/ip_forward" (interface names keep their dots only
  /// when given with slashes already).
  fileprivate func replacingDots() -> String {
    contains("/") ? self : String(map { $0 == "." ? "/" : $0 })
  }
}
