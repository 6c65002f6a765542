// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// `NetworkingConfig` of container create.
public struct NetworkingConfig: Codable, Sendable, Equatable {
  public var endpointsConfig: [String: EndpointSettings]?

  public init(endpointsConfig: [String: EndpointSettings]? = nil) {
    self.endpointsConfig = endpointsConfig
  }

  enum CodingKeys: String, CodingKey {
    case endpointsConfig = "EndpointsConfig"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.endpointsConfig = try c.decodeIfPresent([String: EndpointSettings].self, forKey: .endpointsConfig)
  }
}

public struct EndpointSettings: Codable, Sendable, Equatable {
  public var ipamConfig: EndpointIPAMConfig?
  public var links: [String]?
  public var macAddress: String?
  public var aliases: [String]?
  public var driverOpts: [String: String]?
  public var networkID: String?
  public var endpointID: String?
  public var gateway: String?
  public var ipAddress: String?
  public var ipPrefixLen: Int?
  public var ipv6Gateway: String?
  public var globalIPv6Address: String?
  public var globalIPv6PrefixLen: Int?
  public var dnsNames: [String]?

  public init(
    ipamConfig: EndpointIPAMConfig? = nil,
    links: [String]? = nil,
    macAddress: String? = nil,
    aliases: [String]? = nil,
    driverOpts: [String: String]? = nil,
    networkID: String? = nil,
    endpointID: String? = nil,
    gateway: String? = nil,
    ipAddress: String? = nil,
    ipPrefixLen: Int? = nil,
    ipv6Gateway: String? = nil,
    globalIPv6Address: String? = nil,
    globalIPv6PrefixLen: Int? = nil,
    dnsNames: [String]? = nil
  ) {
    self.ipamConfig = ipamConfig
    self.links = links
    self.macAddress = macAddress
    self.aliases = aliases
    self.driverOpts = driverOpts
    self.networkID = networkID
    self.endpointID = endpointID
    self.gateway = gateway
    self.ipAddress = ipAddress
    self.ipPrefixLen = ipPrefixLen
    self.ipv6Gateway = ipv6Gateway
    self.globalIPv6Address = globalIPv6Address
    self.globalIPv6PrefixLen = globalIPv6PrefixLen
    self.dnsNames = dnsNames
  }

  enum CodingKeys: String, CodingKey {
    case ipamConfig = "IPAMConfig"
    case links = "Links"
    case macAddress = "MacAddress"
    case aliases = "Aliases"
    case driverOpts = "DriverOpts"
    case networkID = "NetworkID"
    case endpointID = "EndpointID"
    case gateway = "Gateway"
    case ipAddress = "IPAddress"
    case ipPrefixLen = "IPPrefixLen"
    case ipv6Gateway = "IPv6Gateway"
    case globalIPv6Address = "GlobalIPv6Address"
    case globalIPv6PrefixLen = "GlobalIPv6PrefixLen"
    case dnsNames = "DNSNames"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.ipamConfig = try c.decodeIfPresent(EndpointIPAMConfig.self, forKey: .ipamConfig)
    self.links = try c.decodeIfPresent([String].self, forKey: .links)
    self.macAddress = try c.decodeIfPresent(String.self, forKey: .macAddress)
    self.aliases = try c.decodeIfPresent([String].self, forKey: .aliases)
    self.driverOpts = try c.decodeIfPresent([String: String].self, forKey: .driverOpts)
    self.networkID = try c.decodeIfPresent(String.self, forKey: .networkID)
    self.endpointID = try c.decodeIfPresent(String.self, forKey: .endpointID)
    self.gateway = try c.decodeIfPresent(String.self, forKey: .gateway)
    self.ipAddress = try c.decodeIfPresent(String.self, forKey: .ipAddress)
    self.ipPrefixLen = try c.decodeIfPresent(Int.self, forKey: .ipPrefixLen)
    self.ipv6Gateway = try c.decodeIfPresent(String.self, forKey: .ipv6Gateway)
    self.globalIPv6Address = try c.decodeIfPresent(String.self, forKey: .globalIPv6Address)
    self.globalIPv6PrefixLen = try c.decodeIfPresent(Int.self, forKey: .globalIPv6PrefixLen)
    self.dnsNames = try c.decodeIfPresent([String].self, forKey: .dnsNames)
  }
}

public struct EndpointIPAMConfig: Codable, Sendable, Equatable {
  public var ipv4Address: String?
  public var ipv6Address: String?
  public var linkLocalIPs: [String]?

  public init(ipv4Address: String? = nil, ipv6Address: String? = nil, linkLocalIPs: [String]? = nil) {
    self.ipv4Address = ipv4Address
    self.ipv6Address = ipv6Address
    self.linkLocalIPs = linkLocalIPs
  }

  enum CodingKeys: String, CodingKey {
    case ipv4Address = "IPv4Address"
    case ipv6Address = "IPv6Address"
    case linkLocalIPs = "LinkLocalIPs"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.ipv4Address = try c.decodeIfPresent(String.self, forKey: .ipv4Address)
    self.ipv6Address = try c.decodeIfPresent(String.self, forKey: .ipv6Address)
    self.linkLocalIPs = try c.decodeIfPresent([String].self, forKey: .linkLocalIPs)
  }
}

/// `NetworkSettings` of container inspect.
public struct NetworkSettings: Codable, Sendable, Equatable {
  public var bridge: String
  public var sandboxID: String
  public var hairpinMode: Bool
  public var linkLocalIPv6Address: String
  public var linkLocalIPv6PrefixLen: Int
  public var ports: [String: [PortBinding]?]
  public var sandboxKey: String
  public var secondaryIPAddresses: [NetworkAddress]?
  public var secondaryIPv6Addresses: [NetworkAddress]?
  public var endpointID: String
  public var gateway: String
  public var globalIPv6Address: String
  public var globalIPv6PrefixLen: Int
  public var ipAddress: String
  public var ipPrefixLen: Int
  public var ipv6Gateway: String
  public var macAddress: String
  public var networks: [String: EndpointSettings]

  public init(
    bridge: String = "",
    sandboxID: String = "",
    hairpinMode: Bool = false,
    linkLocalIPv6Address: String = "",
    linkLocalIPv6PrefixLen: Int = 0,
    ports: [String: [PortBinding]?] = [:],
    sandboxKey: String = "",
    secondaryIPAddresses: [NetworkAddress]? = nil,
    secondaryIPv6Addresses: [NetworkAddress]? = nil,
    endpointID: String = "",
    gateway: String = "",
    globalIPv6Address: String = "",
    globalIPv6PrefixLen: Int = 0,
    ipAddress: String = "",
    ipPrefixLen: Int = 0,
    ipv6Gateway: String = "",
    macAddress: String = "",
    networks: [String: EndpointSettings] = [:]
  ) {
    self.bridge = bridge
    self.sandboxID = sandboxID
    self.hairpinMode = hairpinMode
    self.linkLocalIPv6Address = linkLocalIPv6Address
    self.linkLocalIPv6PrefixLen = linkLocalIPv6PrefixLen
    self.ports = ports
    self.sandboxKey = sandboxKey
    self.secondaryIPAddresses = secondaryIPAddresses
    self.secondaryIPv6Addresses = secondaryIPv6Addresses
    self.endpointID = endpointID
    self.gateway = gateway
    self.globalIPv6Address = globalIPv6Address
    self.globalIPv6PrefixLen = globalIPv6PrefixLen
    self.ipAddress = ipAddress
    self.ipPrefixLen = ipPrefixLen
    self.ipv6Gateway = ipv6Gateway
    self.macAddress = macAddress
    self.networks = networks
  }

  enum CodingKeys: String, CodingKey {
    case bridge = "Bridge"
    case sandboxID = "SandboxID"
    case hairpinMode = "HairpinMode"
    case linkLocalIPv6Address = "LinkLocalIPv6Address"
    case linkLocalIPv6PrefixLen = "LinkLocalIPv6PrefixLen"
    case ports = "Ports"
    case sandboxKey = "SandboxKey"
    case secondaryIPAddresses = "SecondaryIPAddresses"
    case secondaryIPv6Addresses = "SecondaryIPv6Addresses"
    case endpointID = "EndpointID"
    case gateway = "Gateway"
    case globalIPv6Address = "GlobalIPv6Address"
    case globalIPv6PrefixLen = "GlobalIPv6PrefixLen"
    case ipAddress = "IPAddress"
    case ipPrefixLen = "IPPrefixLen"
    case ipv6Gateway = "IPv6Gateway"
    case macAddress = "MacAddress"
    case networks = "Networks"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.bridge = try c.decodeIfPresent(String.self, forKey: .bridge) ?? ""
    self.sandboxID = try c.decodeIfPresent(String.self, forKey: .sandboxID) ?? ""
    self.hairpinMode = try c.decodeIfPresent(Bool.self, forKey: .hairpinMode) ?? false
    self.linkLocalIPv6Address = try c.decodeIfPresent(String.self, forKey: .linkLocalIPv6Address) ?? ""
    self.linkLocalIPv6PrefixLen = try c.decodeIfPresent(Int.self, forKey: .linkLocalIPv6PrefixLen) ?? 0
    self.ports = try c.decodeIfPresent([String: [PortBinding]?].self, forKey: .ports) ?? [:]
    self.sandboxKey = try c.decodeIfPresent(String.self, forKey: .sandboxKey) ?? ""
    self.secondaryIPAddresses = try c.decodeIfPresent([NetworkAddress].self, forKey: .secondaryIPAddresses)
    self.secondaryIPv6Addresses = try c.decodeIfPresent([NetworkAddress].self, forKey: .secondaryIPv6Addresses)
    self.endpointID = try c.decodeIfPresent(String.self, forKey: .endpointID) ?? ""
    self.gateway = try c.decodeIfPresent(String.self, forKey: .gateway) ?? ""
    self.globalIPv6Address = try c.decodeIfPresent(String.self, forKey: .globalIPv6Address) ?? ""
    self.globalIPv6PrefixLen = try c.decodeIfPresent(Int.self, forKey: .globalIPv6PrefixLen) ?? 0
    self.ipAddress = try c.decodeIfPresent(String.self, forKey: .ipAddress) ?? ""
    self.ipPrefixLen = try c.decodeIfPresent(Int.self, forKey: .ipPrefixLen) ?? 0
    self.ipv6Gateway = try c.decodeIfPresent(String.self, forKey: .ipv6Gateway) ?? ""
    self.macAddress = try c.decodeIfPresent(String.self, forKey: .macAddress) ?? ""
    self.networks = try c.decodeIfPresent([String: EndpointSettings].self, forKey: .networks) ?? [:]
  }
}

public struct NetworkAddress: Codable, Sendable, Equatable {
  public var addr: String
  public var prefixLen: Int

  public init(addr: String = "", prefixLen: Int = 0) {
    self.addr = addr
    self.prefixLen = prefixLen
  }

  enum CodingKeys: String, CodingKey {
    case addr = "Addr"
    case prefixLen = "PrefixLen"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.addr = try c.decodeIfPresent(String.self, forKey: .addr) ?? ""
    self.prefixLen = try c.decodeIfPresent(Int.self, forKey: .prefixLen) ?? 0
  }
}

/// A port of `docker ps` (`Ports`).
public struct Port: Codable, Sendable, Equatable {
  public var ip: String?
  public var privatePort: Int
  public var publicPort: Int?
  public var type: String

  public init(ip: String? = nil, privatePort: Int = 0, publicPort: Int? = nil, type: String = "tcp") {
    self.ip = ip
    self.privatePort = privatePort
    self.publicPort = publicPort
    self.type = type
  }

  enum CodingKeys: String, CodingKey {
    case ip = "IP"
    case privatePort = "PrivatePort"
    case publicPort = "PublicPort"
    case type = "Type"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.ip = try c.decodeIfPresent(String.self, forKey: .ip)
    self.privatePort = try c.decodeIfPresent(Int.self, forKey: .privatePort) ?? 0
    self.publicPort = try c.decodeIfPresent(Int.self, forKey: .publicPort)
    self.type = try c.decodeIfPresent(String.self, forKey: .type) ?? "tcp"
  }
}
