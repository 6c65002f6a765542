// Docker Engine API models of /networks. JSON keys are Docker's (CodingKeys). Request
// fields are optional (a missing or null value takes dockerd's default); answers carry
// every field dockerd always sends.

/// GET /networks/{id}, and an element of GET /networks.
public struct NetworkResource: Codable, Sendable, Equatable {
  public var name: String
  public var id: String
  public var created: String
  public var scope: String
  public var driver: String
  public var enableIPv4: Bool
  public var enableIPv6: Bool
  public var ipam: NetworkIPAM
  public var isInternal: Bool
  public var attachable: Bool
  public var ingress: Bool
  public var configFrom: NetworkConfigReference
  public var configOnly: Bool
  public var containers: [String: NetworkContainer]
  public var options: [String: String]
  public var labels: [String: String]

  public init(
    name: String, id: String, created: String, scope: String = "local", driver: String, enableIPv4: Bool = true,
    enableIPv6: Bool = false, ipam: NetworkIPAM = NetworkIPAM(), isInternal: Bool = false, attachable: Bool = false,
    ingress: Bool = false, configFrom: NetworkConfigReference = NetworkConfigReference(), configOnly: Bool = false,
    containers: [String: NetworkContainer] = [:], options: [String: String] = [:], labels: [String: String] = [:]
  ) {
    self.name = name
    self.id = id
    self.created = created
    self.scope = scope
    self.driver = driver
    self.enableIPv4 = enableIPv4
    self.enableIPv6 = enableIPv6
    self.ipam = ipam
    self.isInternal = isInternal
    self.attachable = attachable
    self.ingress = ingress
    self.configFrom = configFrom
    self.configOnly = configOnly
    self.containers = containers
    self.options = options
    self.labels = labels
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case id = "Id"
    case created = "Created"
    case scope = "Scope"
    case driver = "Driver"
    case enableIPv4 = "EnableIPv4"
    case enableIPv6 = "EnableIPv6"
    case ipam = "IPAM"
    case isInternal = "Internal"
    case attachable = "Attachable"
    case ingress = "Ingress"
    case configFrom = "ConfigFrom"
    case configOnly = "ConfigOnly"
    case containers = "Containers"
    case options = "Options"
    case labels = "Labels"
  }
}

public struct NetworkIPAM: Codable, Sendable, Equatable {
  public var driver: String?
  public var config: [NetworkIPAMConfig]?
  public var options: [String: String]?

  public init(driver: String? = "default", config: [NetworkIPAMConfig]? = [], options: [String: String]? = nil) {
    self.driver = driver
    self.config = config
    self.options = options
  }

  enum CodingKeys: String, CodingKey {
    case driver = "Driver"
    case config = "Config"
    case options = "Options"
  }
}

public struct NetworkIPAMConfig: Codable, Sendable, Equatable {
  public var subnet: String?
  public var ipRange: String?
  public var gateway: String?
  public var auxiliaryAddresses: [String: String]?

  public init(
    subnet: String? = nil, ipRange: String? = nil, gateway: String? = nil, auxiliaryAddresses: [String: String]? = nil
  ) {
    self.subnet = subnet
    self.ipRange = ipRange
    self.gateway = gateway
    self.auxiliaryAddresses = auxiliaryAddresses
  }

  enum CodingKeys: String, CodingKey {
    case subnet = "Subnet"
    case ipRange = "IPRange"
    case gateway = "Gateway"
    case auxiliaryAddresses = "AuxiliaryAddresses"
  }
}

public struct NetworkConfigReference: Codable, Sendable, Equatable {
  public var network: String

  public init(network: String = "") { self.network = network }

  enum CodingKeys: String, CodingKey { case network = "Network" }

  public init(from decoder: any Decoder) throws {
    network = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .network) ?? ""
  }
}

/// A container's endpoint as network inspect lists it.
public struct NetworkContainer: Codable, Sendable, Equatable {
  public var name: String
  public var endpointID: String
  public var macAddress: String
  public var ipv4Address: String
  public var ipv6Address: String

  public init(name: String, endpointID: String, macAddress: String, ipv4Address: String, ipv6Address: String) {
    self.name = name
    self.endpointID = endpointID
    self.macAddress = macAddress
    self.ipv4Address = ipv4Address
    self.ipv6Address = ipv6Address
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case endpointID = "EndpointID"
    case macAddress = "MacAddress"
    case ipv4Address = "IPv4Address"
    case ipv6Address = "IPv6Address"
  }
}

/// POST /networks/create.
public struct NetworkCreateRequest: Codable, Sendable, Equatable {
  public var name: String?
  public var driver: String?
  public var scope: String?
  public var isInternal: Bool?
  public var attachable: Bool?
  public var ingress: Bool?
  public var configOnly: Bool?
  public var ipam: NetworkIPAM?
  public var enableIPv4: Bool?
  public var enableIPv6: Bool?
  public var options: [String: String]?
  public var labels: [String: String]?

  public init(
    name: String? = nil, driver: String? = nil, isInternal: Bool? = nil, ipam: NetworkIPAM? = nil,
    enableIPv6: Bool? = nil, options: [String: String]? = nil, labels: [String: String]? = nil
  ) {
    self.name = name
    self.driver = driver
    self.isInternal = isInternal
    self.ipam = ipam
    self.enableIPv6 = enableIPv6
    self.options = options
    self.labels = labels
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case driver = "Driver"
    case scope = "Scope"
    case isInternal = "Internal"
    case attachable = "Attachable"
    case ingress = "Ingress"
    case configOnly = "ConfigOnly"
    case ipam = "IPAM"
    case enableIPv4 = "EnableIPv4"
    case enableIPv6 = "EnableIPv6"
    case options = "Options"
    case labels = "Labels"
  }
}

public struct NetworkCreateResponse: Codable, Sendable, Equatable {
  public var id: String
  public var warning: String

  public init(id: String, warning: String = "") {
    self.id = id
    self.warning = warning
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
    case warning = "Warning"
  }
}

/// POST /networks/{id}/connect.
public struct NetworkConnectRequest: Codable, Sendable, Equatable {
  public var container: String?
  public var endpointConfig: EndpointSettings?

  public init(container: String? = nil, endpointConfig: EndpointSettings? = nil) {
    self.container = container
    self.endpointConfig = endpointConfig
  }

  enum CodingKeys: String, CodingKey {
    case container = "Container"
    case endpointConfig = "EndpointConfig"
  }
}

/// POST /networks/{id}/disconnect.
public struct NetworkDisconnectRequest: Codable, Sendable, Equatable {
  public var container: String?
  public var force: Bool?

  public init(container: String? = nil, force: Bool? = nil) {
    self.container = container
    self.force = force
  }

  enum CodingKeys: String, CodingKey {
    case container = "Container"
    case force = "Force"
  }
}

public struct NetworkPruneResponse: Codable, Sendable, Equatable {
  public var networksDeleted: [String]

  public init(networksDeleted: [String] = []) { self.networksDeleted = networksDeleted }

  enum CodingKeys: String, CodingKey { case networksDeleted = "NetworksDeleted" }
}
