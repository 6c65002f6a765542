/// A range of address space cut into subnets of one size, for networks created without
/// a `--subnet` (Docker's `default-address-pools`).
public struct AddressPool: Sendable, Codable, Equatable {
  public var base: Subnet
  public var size: Int

  public init(base: Subnet, size: Int) {
    self.base = base.canonical
    self.size = size
  }

  /// Docker's defaults: 172.17–31.0.0/16, then 192.168.0.0/16 in /20s.
  public static let dockerDefaults: [AddressPool] = [
    AddressPool(base: Subnet(address: IPAddress(v4: 0xAC11_0000), prefix: 16), size: 16),
    AddressPool(base: Subnet(address: IPAddress(v4: 0xAC12_0000), prefix: 15), size: 16),
    AddressPool(base: Subnet(address: IPAddress(v4: 0xAC14_0000), prefix: 14), size: 16),
    AddressPool(base: Subnet(address: IPAddress(v4: 0xAC18_0000), prefix: 13), size: 16),
    AddressPool(base: Subnet(address: IPAddress(v4: 0xC0A8_0000), prefix: 16), size: 20),
  ]

  /// The pool's subnets in order.
  public var subnets: some Sequence<Subnet> {
    let step = UInt128(1) << (base.address.bitCount - size)
    let count = size >= base.prefix ? Int(min(base.size / step, 1 << 20)) : 0
    return (0..<count).lazy.map { Subnet(address: base.network.advanced(by: UInt128($0) * step), prefix: size) }
  }

  /// The first subnet of `pools` overlapping none of `taken`.
  public static func firstFree(in pools: [AddressPool], avoiding taken: [Subnet]) -> Subnet? {
    for pool in pools {
      for candidate in pool.subnets where !taken.contains(where: { $0.overlaps(candidate) }) {
        return candidate
      }
    }
    return nil
  }
}
