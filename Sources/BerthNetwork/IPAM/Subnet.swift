import Glibc

/// An IPv4 or IPv6 address. Codable as its text form.
public struct IPAddress: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
  public let isV4: Bool
  /// The address as an integer (IPv4 in the low 32 bits).
  public let value: UInt128

  public init(v4 value: UInt32) {
    isV4 = true
    self.value = UInt128(value)
  }

  public init(isV4: Bool, value: UInt128) {
    self.isV4 = isV4
    self.value = isV4 ? value & 0xffff_ffff : value
  }

  public init?(_ text: String) {
    var buffer = [UInt8](repeating: 0, count: 16)
    if text.contains(":") {
      guard inet_pton(AF_INET6, text, &buffer) == 1 else { return nil }
      self.init(bytes: buffer)
    } else {
      guard inet_pton(AF_INET, text, &buffer) == 1 else { return nil }
      self.init(bytes: Array(buffer[0..<4]))
    }
  }

  /// From network-order bytes (4 or 16).
  public init?(bytes: [UInt8]) {
    guard bytes.count == 4 || bytes.count == 16 else { return nil }
    isV4 = bytes.count == 4
    value = bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
  }

  public var bitCount: Int { isV4 ? 32 : 128 }

  /// Network-order bytes.
  public var bytes: [UInt8] {
    (0..<(bitCount / 8)).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  public var description: String {
    var text = [CChar](repeating: 0, count: 64)
    let family = isV4 ? AF_INET : AF_INET6
    _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, 64) }  // cannot fail: sized buffer
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  public func advanced(by offset: UInt128) -> IPAddress { IPAddress(isV4: isV4, value: value &+ offset) }

  public static func < (a: IPAddress, b: IPAddress) -> Bool { (a.isV4 ? 0 : 1, a.value) < (b.isV4 ? 0 : 1, b.value) }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let address = IPAddress(text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad IP \(text)"))
    }
    self = address
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// A CIDR block ("172.18.0.0/16"); `address` is kept as given (host bits allowed, as in
/// an interface address), `network` is the block's first address.
public struct Subnet: Hashable, Sendable, Codable, CustomStringConvertible {
  public let address: IPAddress
  public let prefix: Int

  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard let address = IPAddress(String(parts[0])) else { return nil }
    let prefix = parts.count == 2 ? Int(parts[1]) : address.bitCount
    guard parts.count <= 2, let prefix, prefix >= 0, prefix <= address.bitCount else { return nil }
    self.init(address: address, prefix: prefix)
  }

  public init(address: IPAddress, prefix: Int) {
    self.address = address
    self.prefix = prefix
  }

  public var isV4: Bool { address.isV4 }
  public var description: String { "\(address)/\(prefix)" }

  private var hostMask: UInt128 {
    let hostBits = address.bitCount - prefix
    return hostBits >= 128 ? UInt128.max : (UInt128(1) << hostBits) - 1
  }

  public var network: IPAddress { IPAddress(isV4: isV4, value: address.value & ~hostMask) }
  public var last: IPAddress { IPAddress(isV4: isV4, value: network.value | hostMask) }
  /// The block itself, host bits cleared.
  public var canonical: Subnet { Subnet(address: network, prefix: prefix) }
  /// Addresses in the block.
  public var size: UInt128 { hostMask &+ 1 }

  public func contains(_ ip: IPAddress) -> Bool {
    ip.isV4 == isV4 && ip.value & ~hostMask == network.value
  }

  public func contains(_ other: Subnet) -> Bool { other.prefix >= prefix && contains(other.network) }

  public func overlaps(_ other: Subnet) -> Bool {
    other.isV4 == isV4 && (contains(other.network) || other.contains(network))
  }

  /// The address `offset` into the block.
  public func host(_ offset: UInt128) -> IPAddress { network.advanced(by: offset) }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let subnet = Subnet(text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad subnet \(text)"))
    }
    self = subnet
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// A MAC address.
public struct MACAddress: Hashable, Sendable, Codable, CustomStringConvertible {
  public let bytes: [UInt8]

  public init?(bytes: [UInt8]) {
    guard bytes.count == 6 else { return nil }
    self.bytes = bytes
  }

  public init?(_ text: String) {
    let parts = text.split(separator: ":")
    let values = parts.compactMap { UInt8($0, radix: 16) }
    guard parts.count == 6, values.count == 6 else { return nil }
    bytes = values
  }

  /// Docker's style: 02:42 and then the IPv4 address.
  public static func derived(from ip: IPAddress) -> MACAddress? {
    guard ip.isV4 else { return nil }
    return MACAddress(sixBytes: [0x02, 0x42] + ip.bytes)
  }

  /// A random locally administered unicast address.
  public static func random() -> MACAddress {
    var bytes = (0..<6).map { _ in UInt8.random(in: 0...255) }
    bytes[0] = (bytes[0] & 0xfe) | 0x02
    return MACAddress(sixBytes: bytes)
  }

  private init(sixBytes: [UInt8]) { bytes = sixBytes }

  public var description: String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let mac = MACAddress(text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad MAC \(text)"))
    }
    self = mac
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
