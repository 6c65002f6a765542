import Glibc
import LinuxOS

extension NetworkController {
  /// Publishes container ports on the host: reserves each host port with a bound socket
  /// (port 0: the kernel picks), then adds every mapping in one nft transaction. For an
  /// IPv4-only endpoint only IPv4 is bound and mapped. `network`: the endpoint to map to
  /// (default: the container's first).
  public func publish(container: String, network idOrName: String? = nil, _ requests: [PortRequest]) throws
    -> PublishedPorts
  {
    try lock.withLock {
      guard var list = endpoints[container], !list.isEmpty else {
        throw NetworkError.notAttached(container: container, network: idOrName ?? "any")
      }
      let wanted = idOrName.map { lookup($0)?.config.id ?? $0 }
      guard let index = wanted.map({ w in list.firstIndex { $0.network == w } }) ?? 0 else {
        throw NetworkError.notAttached(container: container, network: idOrName ?? "any")
      }
      let endpoint = list[index]
      let defaultHostIP = networks[endpoint.network]?.config.hostBinding
      let plan = try Self.expand(requests)
      let v4 = endpoint.ipv4?.address
      let v6 = endpoint.ipv6?.address
      let reservations = try host.run {
        try Self.reserve(plan, defaultHostIP: defaultHostIP, hasV4: v4 != nil, hasV6: v6 != nil)
      }
      var made: [PortMapping] = []
      for (reserved, containerPort) in reservations {
        let target = reserved.address.isV4 ? v4 : v6
        guard let target else { continue }
        made.append(
          PortMapping(
            proto: reserved.proto, hostIP: reserved.address, hostPort: reserved.port, containerIP: target,
            containerPort: containerPort, owner: container))
      }
      let result = PublishedPorts(mappings: made, reservations: reservations.map(\.0))
      do {
        let batch = PortMapping.addBatch(made)
        if !batch.isEmpty { try host.run { try NFT.apply(batch) } }
        list[index].ports += made
        endpoints[container] = list
        try saveEndpoints(container)
      } catch {
        result.closeReservations()
        throw error
      }
      return result
    }
  }

  /// One (proto, hostIP, hostPorts to try, containerPort) per container port.
  typealias PlannedPort = (proto: PortMapping.Proto, hostIP: IPAddress?, hostPorts: [UInt16], containerPort: UInt16)

  static func expand(_ requests: [PortRequest]) throws -> [PlannedPort] {
    var plan: [PlannedPort] = []
    for r in requests {
      let hostCount = r.hostPorts.count
      let containerCount = r.containerPorts.count
      if containerCount == 1 {
        plan.append((r.proto, r.hostIP, Array(r.hostPorts), r.containerPorts.lowerBound))
      } else if r.hostPorts == 0...0 {
        for p in r.containerPorts { plan.append((r.proto, r.hostIP, [0], p)) }
      } else if hostCount == containerCount {
        for (h, c) in zip(r.hostPorts, r.containerPorts) { plan.append((r.proto, r.hostIP, [h], c)) }
      } else {
        throw NetworkError.invalidPorts(
          "invalid port range: host \(r.hostPorts) and container \(r.containerPorts) differ in size")
      }
    }
    return plan
  }

  /// Binds every planned port (all or none). A nil host IP binds 0.0.0.0 for an endpoint
  /// with IPv4 and [::] for one with IPv6; a given IP binds its own family only.
  static func reserve(_ plan: [PlannedPort], defaultHostIP: IPAddress?, hasV4: Bool, hasV6: Bool) throws
    -> [(PortReservation.Reserved, UInt16)]
  {
    var out: [(PortReservation.Reserved, UInt16)] = []
    do {
      for p in plan {
        let hostIP = p.hostIP ?? defaultHostIP
        var families: [Bool] = []  // v6?
        if let hostIP {
          families = [!hostIP.isV4]
        } else {
          if hasV4 { families.append(false) }
          if hasV6 { families.append(true) }
        }
        for v6 in families {
          out.append((try reserveFirstFree(p.proto, hostIP, p.hostPorts, v6: v6), p.containerPort))
        }
      }
    } catch {
      for (r, _) in out where r.fd >= 0 { FD.close(r.fd) }
      throw error
    }
    return out
  }

  private static func reserveFirstFree(_ proto: PortMapping.Proto, _ ip: IPAddress?, _ ports: [UInt16], v6: Bool)
    throws -> PortReservation.Reserved
  {
    var lastError: (any Error)?
    for port in ports {
      do {
        return try PortReservation.reserve(proto, address: ip, port: port, v6: v6)
      } catch let error as NetworkError {
        lastError = error
      }
    }
    throw lastError ?? NetworkError.invalidPorts("no host port to bind")
  }
}
