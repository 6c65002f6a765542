import Glibc

/// Subnet containment as docker's `network create` checks it (net.ParseCIDR, IPNet.Contains).
struct CIDR {
  var address: [UInt8]
  var prefix: Int

  /// Parses "10.0.0.0/8" or "fd00::/64"; nil when it is not CIDR notation.
  init?(_ text: String) {
    guard let slash = text.firstIndex(of: "/"), let bits = Int(text[text.index(after: slash)...]),
      let bytes = CIDR.bytes(String(text[..<slash]))
    else { return nil }
    guard bits >= 0, bits <= bytes.count * 8 else { return nil }
    address = bytes
    prefix = bits
  }

  /// The address bytes of an IPv4 (4) or IPv6 (16) address.
  static func bytes(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
    return nil
  }

  func contains(_ other: [UInt8]) -> Bool {
    guard other.count == address.count else { return false }
    var remaining = prefix
    for i in 0..<address.count where remaining > 0 {
      let bits = min(8, remaining)
      let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
      if address[i] & mask != other[i] & mask { return false }
      remaining -= bits
    }
    return true
  }
}
