import Glibc
import LinuxOS

extension NetworkController {
  /// Attaches the container's netns to a network: addresses from IPAM, a veth pair whose
  /// container end is created inside the netns as ethN (N: the lowest free), MAC, the
  /// default route (first non-internal network unless told), `lo` up.
  public func attach(container: String, netnsPath: String, network idOrName: String, options: EndpointOptions = .init())
    throws -> EndpointInfo
  {
    try lock.withLock {
      guard let record = lookup(idOrName) else { throw NetworkError.unknownNetwork(idOrName) }
      let network = record.config.id
      let existing = endpoints[container] ?? []
      if existing.contains(where: { $0.network == network }) {
        throw NetworkError.alreadyAttached(container: container, network: record.config.name)
      }
      var leased = false
      var hostInterface: String?
      do {
        let v4 = try record.ipv4.map { _ in
          try ipam.allocate(network: network, owner: container, v6: false, requested: options.ipv4)
        }
        leased = true
        let v6 = try record.ipv6.map { _ in
          try ipam.allocate(network: network, owner: container, v6: true, requested: options.ipv6)
        }
        let interface = Self.freeInterfaceName(existing)
        let mac = options.mac ?? v4.flatMap { MACAddress.derived(from: $0.address.address) } ?? .random()
        let veth = "veth" + String(UInt32.random(in: 0..<(1 << 28)), radix: 16).leftPadded(to: 7)
        guard let bridge = try host.netlink.link(named: record.bridge) else {
          throw SystemError("RTM_GETLINK", errno: ENODEV, record.bridge)
        }
        let nsfd = try FD.open(netnsPath, O_RDONLY | O_CLOEXEC)
        defer { FD.close(nsfd) }
        try host.netlink.createVeth(
          veth, LinkSettings(mtu: record.config.mtu, master: bridge.index),
          peer: interface, LinkSettings(mtu: record.config.mtu, mac: mac, netnsFD: nsfd))
        hostInterface = veth
        guard let hostLink = try host.netlink.link(named: veth) else {
          throw SystemError("RTM_GETLINK", errno: ENODEV, veth)
        }
        try host.netlink.setHairpin(hostLink.index)
        try host.netlink.setLink(hostLink.index, up: true)
        let inside = try sandboxSocket(netnsPath)
        try inside.setLink(1, up: true)  // lo (index 1 in every namespace): the netns may not be ours
        guard let link = try inside.link(named: interface) else {
          throw SystemError("RTM_GETLINK", errno: ENODEV, "\(interface) in \(netnsPath)")
        }
        try inside.setLink(link.index, up: true)
        if let v4 { try inside.addAddress(v4.address, to: link.index) }
        if let v6 { try inside.addAddress(v6.address, to: link.index) }
        let routed = options.defaultRoute ?? !existing.contains { $0.providesDefaultRoute }
        let providesRoute = routed && !record.config.isInternal
        if providesRoute {
          if let gateway = v4?.gateway { try inside.addRoute(via: gateway, device: link.index) }
          if let gateway = v6?.gateway { try inside.addRoute(via: gateway, device: link.index) }
        }
        let info = EndpointInfo(
          container: container, network: network, netnsPath: netnsPath, hostInterface: veth, interface: interface,
          mac: mac, ipv4: v4?.address, ipv6: v6?.address, gateway4: v4?.gateway, gateway6: v6?.gateway,
          providesDefaultRoute: providesRoute, aliases: options.aliases, ports: [])
        endpoints[container, default: []].append(info)
        try saveEndpoints(container)
        return info
      } catch {
        if let hostInterface { try? deleteHostLink(hostInterface) }  // rollback; the error is what matters
        if leased { try? ipam.release(network: network, owner: container) }  // rollback, as above
        throw error
      }
    }
  }

  /// Undoes `attach` (and the endpoint's published ports). The fds of the reservations
  /// belong to whoever holds them (the shim closes them when the container goes).
  public func detach(container: String, network idOrName: String) throws {
    try lock.withLock {
      let network = lookup(idOrName)?.config.id ?? idOrName
      guard let info = endpoints[container]?.first(where: { $0.network == network }) else {
        throw NetworkError.notAttached(container: container, network: idOrName)
      }
      try removeEndpoint(info)
    }
  }

  /// Detaches the container from every network (at stop or removal).
  /// `namespaceGoes`: the caller deletes the container's namespace next, and its veths go
  /// with it (the kernel tears a namespace down in the background): deleting each veth
  /// first would wait, on the exit path, for the kernel's grace periods of every device.
  public func detachAll(container: String, namespaceGoes: Bool = false) throws {
    try lock.withLock {
      for info in endpoints[container] ?? [] { try removeEndpoint(info, keepLink: namespaceGoes) }
    }
  }

  func removeEndpoint(_ info: EndpointInfo, keepLink: Bool = false) throws {
    if !info.ports.isEmpty {
      let batch = PortMapping.deleteBatch(info.ports)
      do {
        try host.run { try NFT.apply(batch) }
      } catch {
        // An element already gone fails the whole delete: rebuild the table without them.
        endpoints[info.container]?.removeAll { $0.network == info.network }
        try applyRuleset()
      }
    }
    if !keepLink { try deleteHostLink(info.hostInterface) }
    try ipam.release(network: info.network, owner: info.container)
    endpoints[info.container]?.removeAll { $0.network == info.network }
    if endpoints[info.container]?.isEmpty == true { endpoints[info.container] = nil }
    try saveEndpoints(info.container)
  }

  /// Deletes a host veth (its peer goes with it); gone already is fine (the netns died).
  func deleteHostLink(_ name: String) throws {
    guard let link = try host.netlink.link(named: name) else { return }
    do {
      try host.netlink.deleteLink(link.index)
    } catch let error as SystemError where error.errno == ENODEV {
      return
    }
  }

  static func freeInterfaceName(_ existing: [EndpointInfo]) -> String {
    let used = Set(existing.map(\.interface))
    var n = 0
    while used.contains("eth\(n)") { n += 1 }
    return "eth\(n)"
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
