import Glibc
import LinuxOS

extension NetworkController {
  /// Creates a bridge network: subnets from IPAM, the bridge with its gateway addresses,
  /// forwarding, rules, and the DOCKER-USER accepts where dockerd runs.
  @discardableResult
  public func createNetwork(_ config: NetworkConfig) throws -> NetworkRecord {
    try lock.withLock {
      if networks[config.id] != nil || networks.values.contains(where: { $0.config.name == config.name }) {
        throw NetworkError.networkExists(config.name)
      }
      var requests = config.subnets.filter { !$0.isV6 }
      if requests.isEmpty { requests = [SubnetRequest()] }
      if config.enableIPv6 { requests += config.subnets.filter(\.isV6) }
      let subnets = try ipam.createNetwork(config.id, requests, hostSubnets: try hostSubnets())
      let record = NetworkRecord(config: config, subnets: subnets)
      do {
        try saveNetwork(record)
        networks[config.id] = record
        try setUpBridge(record)
        try applyRuleset()
        let bridge = record.bridge
        try host.run { try DockerUserChain.allow(bridge: bridge) }
      } catch {
        networks[config.id] = nil
        try? tearDown(record)  // the original error is what the caller must see
        throw error
      }
      return record
    }
  }

  /// Deletes a network with no endpoints left.
  public func deleteNetwork(_ idOrName: String) throws {
    try lock.withLock {
      guard let record = lookup(idOrName) else { throw NetworkError.unknownNetwork(idOrName) }
      let attached = endpoints.values.flatMap { $0 }.filter { $0.network == record.config.id }.count
      if attached > 0 { throw NetworkError.activeEndpoints(record.config.name, count: attached) }
      networks[record.config.id] = nil
      try applyRuleset()
      try tearDown(record)
    }
  }

  /// The bridge, its addresses and sysctls; what exists already is kept (restore).
  func setUpBridge(_ record: NetworkRecord) throws {
    let name = record.bridge
    let netlink = host.netlink
    if try netlink.link(named: name) == nil {
      try netlink.createBridge(name, LinkSettings(mtu: record.config.mtu, mac: .random()))
    }
    guard let bridge = try netlink.link(named: name) else { throw SystemError("RTM_GETLINK", errno: ENODEV, name) }
    let present = Set(try netlink.addresses().filter { $0.index == bridge.index }.map(\.address))
    for allocation in record.subnets {
      guard let gateway = allocation.gateway else { continue }
      let address = Subnet(address: gateway, prefix: allocation.subnet.prefix)
      if !present.contains(address) { try netlink.addAddress(address, to: bridge.index) }
    }
    // 127.0.0.1:port DNATed to a container leaves through the bridge with a loopback source.
    try host.sysctl("net/ipv4/conf/\(name)/route_localnet", "1")
    if manageForwarding {
      try host.sysctl("net/ipv4/ip_forward", "1")
      if record.ipv6 != nil { try host.sysctl("net/ipv6/conf/all/forwarding", "1") }
    }
    try netlink.setLink(bridge.index, up: true)
  }

  /// Removes what a network made on the host (each step tolerates a missing piece).
  func tearDown(_ record: NetworkRecord) throws {
    let bridge = record.bridge
    if let link = try host.netlink.link(named: bridge) { try host.netlink.deleteLink(link.index) }
    try host.run { try DockerUserChain.remove(bridge: bridge) }
    try ipam.deleteNetwork(record.config.id)
    let path = "\(root)/networks/\(record.config.id).json"
    if unlink(path) != 0 && errno != ENOENT { throw SystemError("unlink", errno: errno, path) }
  }
}
