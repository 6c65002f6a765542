import Glibc

/// IP address text checks as Go's net package makes them (ParseIP, ParseMAC), for the
/// CLI's flag validation.
enum IPAddress {
  /// The address in Go's canonical form ("::1", "1.2.3.4"; IPv4-mapped IPv6 as IPv4), or
  /// nil when `text` is not an IP address.
  static func canonical(_ text: String) -> String? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 { return format(AF_INET, &v4, Int(INET_ADDRSTRLEN)) }
    var v6 = in6_addr()
    guard !text.contains("%"), inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
    let bytes = withUnsafeBytes(of: &v6) { Array($0) }
    if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
      return bytes[12...].map { String($0) }.joined(separator: ".")
    }
    return format(AF_INET6, &v6, Int(INET6_ADDRSTRLEN))
  }

  static func isIPv4(_ text: String) -> Bool {
    var v4 = in_addr()
    return inet_pton(AF_INET, text, &v4) == 1
  }

  private static func format<T>(_ family: Int32, _ address: inout T, _ size: Int) -> String? {
    var buffer = [CChar](repeating: 0, count: size)
    guard inet_ntop(family, &address, &buffer, socklen_t(size)) != nil else { return nil }
    return String(cString: buffer)
  }

  /// Go's net.ParseMAC: 6, 8 or 20 bytes as `aa:bb:…`, `aa-bb-…` or `aabb.ccdd.…`.
  static func isMAC(_ text: String) -> Bool {
    let hex = Set("0123456789abcdefABCDEF")
    for separator: Character in [":", "-"] where text.contains(separator) {
      let groups = text.split(separator: separator, omittingEmptySubsequences: false)
      return [6, 8, 20].contains(groups.count) && groups.allSatisfy { $0.count == 2 && $0.allSatisfy(hex.contains) }
    }
    let groups = text.split(separator: ".", omittingEmptySubsequences: false)
    return [3, 4, 10].contains(groups.count) && groups.allSatisfy { $0.count == 4 && $0.allSatisfy(hex.contains) }
  }
}
