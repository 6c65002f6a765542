/// POST /containers/create: the fields of `ContainerConfig` at the top level, plus
/// `HostConfig` and `NetworkingConfig`.
public struct ContainerCreateRequest: Codable, Sendable, Equatable {
  public var config: ContainerConfig
  public var hostConfig: HostConfig?
  public var networkingConfig: NetworkingConfig?

  public init(
    config: ContainerConfig = ContainerConfig(), hostConfig: HostConfig? = nil,
    networkingConfig: NetworkingConfig? = nil
  ) {
    self.config = config
    self.hostConfig = hostConfig
    self.networkingConfig = networkingConfig
  }

  enum CodingKeys: String, CodingKey {
    case hostConfig = "HostConfig"
    case networkingConfig = "NetworkingConfig"
  }

  public init(from decoder: any Decoder) throws {
    config = try ContainerConfig(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    hostConfig = try c.decodeIfPresent(HostConfig.self, forKey: .hostConfig)
    networkingConfig = try c.decodeIfPresent(NetworkingConfig.self, forKey: .networkingConfig)
  }

  public func encode(to encoder: any Encoder) throws {
    try config.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(hostConfig, forKey: .hostConfig)
    try c.encodeIfPresent(networkingConfig, forKey: .networkingConfig)
  }
}
