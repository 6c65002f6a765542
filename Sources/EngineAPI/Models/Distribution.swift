/// POST /auth's body (`types.AuthConfig`).
public struct AuthConfigRequest: Codable, Sendable, Equatable {
  public var username: String?
  public var password: String?
  public var auth: String?
  public var email: String?
  public var serveraddress: String?
  public var identitytoken: String?
  public var registrytoken: String?

  public init(username: String? = nil, password: String? = nil, serveraddress: String? = nil) {
    self.username = username
    self.password = password
    self.serveraddress = serveraddress
  }
}

/// POST /auth's answer.
public struct AuthResponse: Codable, Sendable, Equatable {
  public var status: String
  public var identityToken: String?

  public init(status: String, identityToken: String? = nil) {
    self.status = status
    self.identityToken = identityToken
  }

  enum CodingKeys: String, CodingKey {
    case status = "Status"
    case identityToken = "IdentityToken"
  }
}

/// GET /distribution/{name}/json: the manifest (or index) a name points at in its registry.
public struct DistributionInspect: Codable, Sendable, Equatable {
  public struct DescriptorInfo: Codable, Sendable, Equatable {
    public var mediaType: String
    public var digest: String
    public var size: Int64

    public init(mediaType: String, digest: String, size: Int64) {
      self.mediaType = mediaType
      self.digest = digest
      self.size = size
    }
  }

  public struct PlatformInfo: Codable, Sendable, Equatable {
    public var architecture: String
    public var os: String
    public var variant: String?

    public init(architecture: String, os: String, variant: String? = nil) {
      self.architecture = architecture
      self.os = os
      self.variant = variant
    }
  }

  public var descriptor: DescriptorInfo
  public var platforms: [PlatformInfo]

  public init(descriptor: DescriptorInfo, platforms: [PlatformInfo]) {
    self.descriptor = descriptor
    self.platforms = platforms
  }

  enum CodingKeys: String, CodingKey {
    case descriptor = "Descriptor"
    case platforms = "Platforms"
  }
}
