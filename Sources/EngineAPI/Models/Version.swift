// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// GET /version.
public struct VersionResponse: Codable, Sendable, Equatable {
  public var platform: VersionPlatform
  public var components: [VersionComponent]
  public var version: String
  public var apiVersion: String
  public var minAPIVersion: String
  public var gitCommit: String
  public var goVersion: String
  public var os: String
  public var arch: String
  public var kernelVersion: String
  public var experimental: Bool?
  public var buildTime: String

  public init(
    platform: VersionPlatform = VersionPlatform(),
    components: [VersionComponent] = [],
    version: String = "",
    apiVersion: String = "1.47",
    minAPIVersion: String = "1.24",
    gitCommit: String = "",
    goVersion: String = "",
    os: String = "linux",
    arch: String = "amd64",
    kernelVersion: String = "",
    experimental: Bool? = nil,
    buildTime: String = ""
  ) {
    self.platform = platform
    self.components = components
    self.version = version
    self.apiVersion = apiVersion
    self.minAPIVersion = minAPIVersion
    self.gitCommit = gitCommit
    self.goVersion = goVersion
    self.os = os
    self.arch = arch
    self.kernelVersion = kernelVersion
    self.experimental = experimental
    self.buildTime = buildTime
  }

  enum CodingKeys: String, CodingKey {
    case platform = "Platform"
    case components = "Components"
    case version = "Version"
    case apiVersion = "ApiVersion"
    case minAPIVersion = "MinAPIVersion"
    case gitCommit = "GitCommit"
    case goVersion = "GoVersion"
    case os = "Os"
    case arch = "Arch"
    case kernelVersion = "KernelVersion"
    case experimental = "Experimental"
    case buildTime = "BuildTime"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.platform = try c.decodeIfPresent(VersionPlatform.self, forKey: .platform) ?? VersionPlatform()
    self.components = try c.decodeIfPresent([VersionComponent].self, forKey: .components) ?? []
    self.version = try c.decodeIfPresent(String.self, forKey: .version) ?? ""
    self.apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? "1.47"
    self.minAPIVersion = try c.decodeIfPresent(String.self, forKey: .minAPIVersion) ?? "1.24"
    self.gitCommit = try c.decodeIfPresent(String.self, forKey: .gitCommit) ?? ""
    self.goVersion = try c.decodeIfPresent(String.self, forKey: .goVersion) ?? ""
    self.os = try c.decodeIfPresent(String.self, forKey: .os) ?? "linux"
    self.arch = try c.decodeIfPresent(String.self, forKey: .arch) ?? "amd64"
    self.kernelVersion = try c.decodeIfPresent(String.self, forKey: .kernelVersion) ?? ""
    self.experimental = try c.decodeIfPresent(Bool.self, forKey: .experimental)
    self.buildTime = try c.decodeIfPresent(String.self, forKey: .buildTime) ?? ""
  }
}

public struct VersionPlatform: Codable, Sendable, Equatable {
  public var name: String

  public init(name: String = "") {
    self.name = name
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
  }
}

public struct VersionComponent: Codable, Sendable, Equatable {
  public var name: String
  public var version: String
  public var details: [String: String]?

  public init(name: String = "", version: String = "", details: [String: String]? = nil) {
    self.name = name
    self.version = version
    self.details = details
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case version = "Version"
    case details = "Details"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    self.version = try c.decodeIfPresent(String.self, forKey: .version) ?? ""
    self.details = try c.decodeIfPresent([String: String].self, forKey: .details)
  }
}
