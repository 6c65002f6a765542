import Glibc
import JSONCoding
import LinuxOS

/// One subnet of a network and the addresses handed out in it.
public struct SubnetAllocation: Sendable, Codable, Equatable {
  public var subnet: Subnet
  public var gateway: IPAddress?
  /// Where dynamic addresses come from (`--ip-range`); the whole subnet when nil.
  public var range: Subnet?
  /// Address → owner (an endpoint or container id).
  public var leases: [Lease] = []

  public struct Lease: Sendable, Codable, Equatable {
    public var address: IPAddress
    public var owner: String
  }
}

/// What a network asks for at creation, per family.
public struct SubnetRequest: Sendable, Codable, Equatable {
  public var subnet: Subnet?
  public var gateway: IPAddress?
  public var range: Subnet?
  public var isV6 = false

  public init(subnet: Subnet? = nil, gateway: IPAddress? = nil, range: Subnet? = nil, isV6: Bool = false) {
    self.subnet = subnet
    self.gateway = gateway
    self.range = range
    self.isV6 = isV6
  }
}

public enum IPAMError: Error, Equatable, CustomStringConvertible {
  case noFreeSubnet
  case overlaps(Subnet, network: String)
  case outOfRange(IPAddress, Subnet)
  case inUse(IPAddress)
  case exhausted(Subnet)
  case noSubnet(network: String, v6: Bool)
  case unknownNetwork(String)
  case invalid(String)

  public var description: String {
    switch self {
    case .noFreeSubnet: "could not find an available, non-overlapping IPv4 address pool among the defaults"
    case .overlaps(let s, let n): "Pool overlaps with other one on this address space (\(s), network \(n))"
    case .outOfRange(let ip, let s): "no configured subnet or ip-range contain the IP address \(ip) (\(s))"
    case .inUse(let ip): "Address already in use: \(ip)"
    case .exhausted(let s): "no available addresses on this pool (\(s))"
    case .noSubnet(let n, let v6): "network \(n) has no \(v6 ? "IPv6" : "IPv4") subnet"
    case .unknownNetwork(let n): "network \(n) not found"
    case .invalid(let why): why
    }
  }
}

/// IP address management: one JSON file per network under `directory`, written durably
/// when the network is made, and the same with its leases under `leaseDirectory`,
/// replaced atomically without fsyncs on each lease change (leases live no longer than
/// containers: berthd's volatile run directory suits them; `release(ownersNotIn:)` at
/// start settles what a crash left).
public final class IPAMStore: @unchecked Sendable {
  public let directory: String
  public let leaseDirectory: String
  public var pools: [AddressPool]
  private var networks: [String: [SubnetAllocation]] = [:]
  private let lock = Lock()

  public init(directory: String, leaseDirectory: String? = nil, pools: [AddressPool] = AddressPool.dockerDefaults)
    throws
  {
    self.directory = directory
    self.leaseDirectory = leaseDirectory ?? "\(directory)/leases"
    self.pools = pools
    try Files.makeDirectories(directory, mode: 0o700)
    try Files.makeDirectories(self.leaseDirectory, mode: 0o700)
    for name in try Files.list(directory) where name.hasSuffix(".json") {
      let id = String(name.dropLast(5))
      let withLeases = "\(self.leaseDirectory)/\(name)"
      let path = Files.exists(withLeases) ? withLeases : "\(directory)/\(name)"
      networks[id] = try JSON.decode([SubnetAllocation].self, from: Files.read(path))
    }
  }

  public func subnets(of network: String) -> [SubnetAllocation] {
    lock.withLock { networks[network] ?? [] }
  }

  /// Reserves subnets for a network. A request without a subnet takes the first free one
  /// of the pools (IPv4 only), avoiding other networks and `hostSubnets`.
  @discardableResult
  public func createNetwork(_ id: String, _ requests: [SubnetRequest], hostSubnets: [Subnet]) throws
    -> [SubnetAllocation]
  {
    try lock.withLock {
      var taken = networks.values.flatMap { $0.map(\.subnet) }
      var made: [SubnetAllocation] = []
      for request in requests {
        let subnet: Subnet
        if let requested = request.subnet {
          subnet = requested.canonical
          if let clash = networks.first(where: { $0.value.contains { $0.subnet.overlaps(subnet) } }) {
            throw IPAMError.overlaps(subnet, network: clash.key)
          }
        } else if request.isV6 {
          throw IPAMError.invalid("an IPv6 network needs a --subnet")
        } else if let free = AddressPool.firstFree(in: pools, avoiding: taken + hostSubnets) {
          subnet = free
        } else {
          throw IPAMError.noFreeSubnet
        }
        if let range = request.range, !subnet.contains(range) { throw IPAMError.outOfRange(range.network, subnet) }
        let gateway = request.gateway ?? subnet.host(1)
        guard subnet.contains(gateway) else { throw IPAMError.outOfRange(gateway, subnet) }
        taken.append(subnet)
        made.append(SubnetAllocation(subnet: subnet, gateway: gateway, range: request.range?.canonical))
      }
      networks[id] = made
      try save(id, durable: true)
      return made
    }
  }

  public func deleteNetwork(_ id: String) throws {
    try lock.withLock {
      networks[id] = nil
      for path in ["\(leaseDirectory)/\(id).json", "\(directory)/\(id).json"] {
        if unlink(path) != 0 && errno != ENOENT { throw SystemError("unlink", errno: errno, path) }
      }
    }
  }

  /// Leases an address of the family to `owner`: `requested` (`--ip`), or the lowest free one
  /// of the range. Returns the address with its subnet's prefix, and the gateway.
  public func allocate(network: String, owner: String, v6: Bool = false, requested: IPAddress? = nil) throws
    -> (address: Subnet, gateway: IPAddress?)
  {
    try lock.withLock {
      guard var allocations = networks[network] else { throw IPAMError.unknownNetwork(network) }
      guard let i = allocations.firstIndex(where: { $0.subnet.isV4 != v6 }) else {
        throw IPAMError.noSubnet(network: network, v6: v6)
      }
      var pool = allocations[i]
      let used = Set(pool.leases.map(\.address))
      let address: IPAddress
      if let requested {
        guard pool.subnet.contains(requested) else { throw IPAMError.outOfRange(requested, pool.subnet) }
        guard !used.contains(requested), requested != pool.gateway else { throw IPAMError.inUse(requested) }
        address = requested
      } else {
        address = try Self.lowestFree(pool, used: used)
      }
      pool.leases.append(.init(address: address, owner: owner))
      allocations[i] = pool
      networks[network] = allocations
      try save(network, durable: false)
      return (Subnet(address: address, prefix: pool.subnet.prefix), pool.gateway)
    }
  }

  /// Frees every address `owner` holds on `network`.
  public func release(network: String, owner: String) throws {
    try lock.withLock {
      guard var allocations = networks[network] else { return }
      for i in allocations.indices { allocations[i].leases.removeAll { $0.owner == owner } }
      networks[network] = allocations
      try save(network, durable: false)
    }
  }

  /// Frees every lease whose owner is not in `owners` (at start: what a crash left).
  public func release(ownersNotIn owners: Set<String>) throws {
    try lock.withLock {
      for (id, var allocations) in networks {
        let before = allocations.map(\.leases.count).reduce(0, +)
        for i in allocations.indices { allocations[i].leases.removeAll { !owners.contains($0.owner) } }
        guard allocations.map(\.leases.count).reduce(0, +) != before else { continue }
        networks[id] = allocations
        try save(id, durable: false)
      }
    }
  }

  private static func lowestFree(_ pool: SubnetAllocation, used: Set<IPAddress>) throws -> IPAddress {
    let range = pool.range ?? pool.subnet
    let subnet = pool.subnet
    var offset: UInt128 = 0
    while offset < range.size && offset < UInt128(used.count) + 4 {
      let candidate = range.host(offset)
      offset += 1
      // The network address and (IPv4) the broadcast address are never handed out.
      if candidate == subnet.network || (subnet.isV4 && candidate == subnet.last) { continue }
      if candidate == pool.gateway || used.contains(candidate) { continue }
      return candidate
    }
    throw IPAMError.exhausted(range)
  }

  private func save(_ id: String, durable: Bool) throws {
    let bytes = try JSON.encode(networks[id] ?? [], options: .init(pretty: true))
    let path = durable ? "\(directory)/\(id).json" : "\(leaseDirectory)/\(id).json"
    try Files.writeAtomically(path, bytes, mode: 0o600, durable: durable)
  }
}
