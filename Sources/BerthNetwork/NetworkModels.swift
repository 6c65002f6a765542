import LinuxOS

/// A bridge network as the daemon asks for it (`docker network create`, or the default
/// bridge). Driver options use Docker's names.
public struct NetworkConfig: Sendable, Codable, Equatable {
  public var id: String
  public var name: String
  public var subnets: [SubnetRequest]
  public var isInternal: Bool
  public var enableIPv6: Bool
  public var labels: [String: String]
  public var options: [String: String]
  /// When the daemon created it (RFC 3339; nil in records from before it was kept).
  public var created: String?

  public init(
    id: String, name: String, subnets: [SubnetRequest] = [SubnetRequest()], isInternal: Bool = false,
    enableIPv6: Bool = false, labels: [String: String] = [:], options: [String: String] = [:], created: String? = nil
  ) {
    self.id = id
    self.name = name
    self.subnets = subnets
    self.isInternal = isInternal
    self.enableIPv6 = enableIPv6
    self.labels = labels
    self.options = options
    self.created = created
  }

  public static let bridgeNameOption = "com.docker.network.bridge.name"
  public static let masqueradeOption = "com.docker.network.bridge.enable_ip_masquerade"
  public static let interContainerOption = "com.docker.network.bridge.enable_icc"
  public static let hostBindingOption = "com.docker.network.bridge.host_binding_ipv4"
  public static let mtuOption = "com.docker.network.driver.mtu"

  /// `com.docker.network.bridge.name`, else `br-` and the id's first 12 characters.
  public var bridgeName: String { options[Self.bridgeNameOption] ?? "br-\(id.prefix(12))" }
  public var masquerade: Bool { options[Self.masqueradeOption].map { $0 != "false" } ?? true }
  public var interContainer: Bool { options[Self.interContainerOption].map { $0 != "false" } ?? true }
  public var hostBinding: IPAddress? { options[Self.hostBindingOption].flatMap { IPAddress($0) } }
  public var mtu: UInt32? { options[Self.mtuOption].flatMap { UInt32($0) }.flatMap { $0 == 0 ? nil : $0 } }
}

/// A network that exists: its config and the subnets IPAM gave it.
public struct NetworkRecord: Sendable, Codable, Equatable {
  public var config: NetworkConfig
  public var subnets: [SubnetAllocation]

  public var bridge: String { config.bridgeName }
  public var ipv4: SubnetAllocation? { subnets.first { $0.subnet.isV4 } }
  public var ipv6: SubnetAllocation? { subnets.first { !$0.subnet.isV4 } }
}

/// Per-attachment choices (`--ip`, `--ip6`, `--mac-address`, aliases).
public struct EndpointOptions: Sendable, Codable, Equatable {
  public var ipv4: IPAddress?
  public var ipv6: IPAddress?
  public var mac: MACAddress?
  public var aliases: [String]
  /// Whether this network gives the container its default route; nil: when it is the
  /// container's first non-internal network.
  public var defaultRoute: Bool?

  public init(
    ipv4: IPAddress? = nil, ipv6: IPAddress? = nil, mac: MACAddress? = nil, aliases: [String] = [],
    defaultRoute: Bool? = nil
  ) {
    self.ipv4 = ipv4
    self.ipv6 = ipv6
    self.mac = mac
    self.aliases = aliases
    self.defaultRoute = defaultRoute
  }
}

/// A container's attachment to one network (what inspect's NetworkSettings shows).
public struct EndpointInfo: Sendable, Codable, Equatable {
  public var container: String
  public var network: String
  public var netnsPath: String
  /// The host end of the veth pair (vethXXXXXXX).
  public var hostInterface: String
  /// The container end (eth0, eth1, …).
  public var interface: String
  public var mac: MACAddress
  public var ipv4: Subnet?
  public var ipv6: Subnet?
  public var gateway4: IPAddress?
  public var gateway6: IPAddress?
  /// Whether the container's default route goes through this network's gateway.
  public var providesDefaultRoute: Bool
  public var aliases: [String]
  public var ports: [PortMapping]
}

/// What `publish` asks for: `-p [ip:]hostPorts:containerPorts[/proto]`. A host range
/// with a single container port means "one free port of that range" (docker's rule).
public struct PortRequest: Sendable, Equatable {
  public var proto: PortMapping.Proto
  public var hostIP: IPAddress?
  /// 0...0: an ephemeral port.
  public var hostPorts: ClosedRange<UInt16>
  public var containerPorts: ClosedRange<UInt16>

  public init(
    _ proto: PortMapping.Proto = .tcp, hostIP: IPAddress? = nil, hostPorts: ClosedRange<UInt16>,
    containerPorts: ClosedRange<UInt16>
  ) {
    self.proto = proto
    self.hostIP = hostIP
    self.hostPorts = hostPorts
    self.containerPorts = containerPorts
  }

  public init(_ proto: PortMapping.Proto = .tcp, hostIP: IPAddress? = nil, hostPort: UInt16, containerPort: UInt16) {
    self.init(proto, hostIP: hostIP, hostPorts: hostPort...hostPort, containerPorts: containerPort...containerPort)
  }
}

/// The result of `publish`: the mappings made and the sockets that reserve their host
/// ports (the caller hands them to the container's shim and closes its copies).
public struct PublishedPorts: Sendable {
  public var mappings: [PortMapping]
  public var reservations: [PortReservation.Reserved]

  /// Closes the reservations (when no shim takes them, e.g. in tests or after a failure).
  public func closeReservations() {
    for r in reservations where r.fd >= 0 { FD.close(r.fd) }
  }
}

extension NetworkConfig {
  /// The default bridge (`docker network ls` shows it as `bridge`), device `berth0`.
  /// `bip`: the bridge's address with its prefix (`--bip 10.10.0.1/24`); without it the
  /// first free subnet of the pools.
  public static func defaultBridge(id: String, bip: Subnet? = nil, mtu: UInt32? = nil) -> NetworkConfig {
    var options = [bridgeNameOption: "berth0", interContainerOption: "true", masqueradeOption: "true"]
    if let mtu { options[mtuOption] = "\(mtu)" }
    let subnet = bip.map { SubnetRequest(subnet: $0.canonical, gateway: $0.address) } ?? SubnetRequest()
    return NetworkConfig(id: id, name: "bridge", subnets: [subnet], options: options)
  }
}

extension PortRequest {
  /// From the Engine API's PortBindings: key "80/tcp" or "8000-8100/udp", binding HostIp
  /// ("" for any) and HostPort ("", "8080" or "8000-8100"; empty: ephemeral).
  public static func parse(containerPort key: String, hostIP: String, hostPort: String) throws -> PortRequest {
    let parts = key.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let proto = PortMapping.Proto(rawValue: parts.count == 2 ? String(parts[1]) : "tcp")
    else { throw NetworkError.invalidPorts("invalid protocol in \(key)") }
    guard let containerPorts = range(String(parts[0])) else { throw NetworkError.invalidPorts("invalid port \(key)") }
    let trimmedIP = hostIP.trimmingBrackets()
    var ip: IPAddress?
    if !trimmedIP.isEmpty {
      guard let parsed = IPAddress(trimmedIP) else { throw NetworkError.invalidPorts("invalid IP address \(hostIP)") }
      ip = parsed
    }
    let hostPorts = hostPort.isEmpty ? 0...0 : range(hostPort)
    guard let hostPorts else { throw NetworkError.invalidPorts("invalid host port \(hostPort)") }
    return PortRequest(proto, hostIP: ip, hostPorts: hostPorts, containerPorts: containerPorts)
  }

  private static func range(_ text: String) -> ClosedRange<UInt16>? {
    let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map { UInt16($0) }
    guard bounds.count == 1 || bounds.count == 2, let low = bounds.first ?? nil, let high = bounds.last ?? nil,
      low <= high
    else { return nil }
    return low...high
  }
}

extension String {
  fileprivate func trimmingBrackets() -> String {
    hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
  }
}
