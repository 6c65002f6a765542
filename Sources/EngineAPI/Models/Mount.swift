// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// An entry of `HostConfig.Mounts` (`--mount`). Type: bind, volume, tmpfs, npipe, cluster.
public struct Mount: Codable, Sendable, Equatable {
  public var target: String?
  public var source: String?
  public var type: String?
  public var readOnly: Bool?
  public var consistency: String?
  public var bindOptions: BindOptions?
  public var volumeOptions: VolumeOptions?
  public var tmpfsOptions: TmpfsOptions?

  public init(
    target: String? = nil,
    source: String? = nil,
    type: String? = nil,
    readOnly: Bool? = nil,
    consistency: String? = nil,
    bindOptions: BindOptions? = nil,
    volumeOptions: VolumeOptions? = nil,
    tmpfsOptions: TmpfsOptions? = nil
  ) {
    self.target = target
    self.source = source
    self.type = type
    self.readOnly = readOnly
    self.consistency = consistency
    self.bindOptions = bindOptions
    self.volumeOptions = volumeOptions
    self.tmpfsOptions = tmpfsOptions
  }

  enum CodingKeys: String, CodingKey {
    case target = "Target"
    case source = "Source"
    case type = "Type"
    case readOnly = "ReadOnly"
    case consistency = "Consistency"
    case bindOptions = "BindOptions"
    case volumeOptions = "VolumeOptions"
    case tmpfsOptions = "TmpfsOptions"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.target = try c.decodeIfPresent(String.self, forKey: .target)
    self.source = try c.decodeIfPresent(String.self, forKey: .source)
    self.type = try c.decodeIfPresent(String.self, forKey: .type)
    self.readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly)
    self.consistency = try c.decodeIfPresent(String.self, forKey: .consistency)
    self.bindOptions = try c.decodeIfPresent(BindOptions.self, forKey: .bindOptions)
    self.volumeOptions = try c.decodeIfPresent(VolumeOptions.self, forKey: .volumeOptions)
    self.tmpfsOptions = try c.decodeIfPresent(TmpfsOptions.self, forKey: .tmpfsOptions)
  }
}

public struct BindOptions: Codable, Sendable, Equatable {
  public var propagation: String?
  public var nonRecursive: Bool?
  public var createMountpoint: Bool?
  public var readOnlyNonRecursive: Bool?
  public var readOnlyForceRecursive: Bool?

  public init(
    propagation: String? = nil,
    nonRecursive: Bool? = nil,
    createMountpoint: Bool? = nil,
    readOnlyNonRecursive: Bool? = nil,
    readOnlyForceRecursive: Bool? = nil
  ) {
    self.propagation = propagation
    self.nonRecursive = nonRecursive
    self.createMountpoint = createMountpoint
    self.readOnlyNonRecursive = readOnlyNonRecursive
    self.readOnlyForceRecursive = readOnlyForceRecursive
  }

  enum CodingKeys: String, CodingKey {
    case propagation = "Propagation"
    case nonRecursive = "NonRecursive"
    case createMountpoint = "CreateMountpoint"
    case readOnlyNonRecursive = "ReadOnlyNonRecursive"
    case readOnlyForceRecursive = "ReadOnlyForceRecursive"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.propagation = try c.decodeIfPresent(String.self, forKey: .propagation)
    self.nonRecursive = try c.decodeIfPresent(Bool.self, forKey: .nonRecursive)
    self.createMountpoint = try c.decodeIfPresent(Bool.self, forKey: .createMountpoint)
    self.readOnlyNonRecursive = try c.decodeIfPresent(Bool.self, forKey: .readOnlyNonRecursive)
    self.readOnlyForceRecursive = try c.decodeIfPresent(Bool.self, forKey: .readOnlyForceRecursive)
  }
}

public struct VolumeOptions: Codable, Sendable, Equatable {
  public var noCopy: Bool?
  public var labels: [String: String]?
  public var driverConfig: VolumeDriverConfig?
  public var subpath: String?

  public init(
    noCopy: Bool? = nil,
    labels: [String: String]? = nil,
    driverConfig: VolumeDriverConfig? = nil,
    subpath: String? = nil
  ) {
    self.noCopy = noCopy
    self.labels = labels
    self.driverConfig = driverConfig
    self.subpath = subpath
  }

  enum CodingKeys: String, CodingKey {
    case noCopy = "NoCopy"
    case labels = "Labels"
    case driverConfig = "DriverConfig"
    case subpath = "Subpath"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.noCopy = try c.decodeIfPresent(Bool.self, forKey: .noCopy)
    self.labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
    self.driverConfig = try c.decodeIfPresent(VolumeDriverConfig.self, forKey: .driverConfig)
    self.subpath = try c.decodeIfPresent(String.self, forKey: .subpath)
  }
}

public struct VolumeDriverConfig: Codable, Sendable, Equatable {
  public var name: String?
  public var options: [String: String]?

  public init(name: String? = nil, options: [String: String]? = nil) {
    self.name = name
    self.options = options
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case options = "Options"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name)
    self.options = try c.decodeIfPresent([String: String].self, forKey: .options)
  }
}

public struct TmpfsOptions: Codable, Sendable, Equatable {
  public var sizeBytes: Int64?
  public var mode: Int?
  public var options: [[String]]?

  public init(sizeBytes: Int64? = nil, mode: Int? = nil, options: [[String]]? = nil) {
    self.sizeBytes = sizeBytes
    self.mode = mode
    self.options = options
  }

  enum CodingKeys: String, CodingKey {
    case sizeBytes = "SizeBytes"
    case mode = "Mode"
    case options = "Options"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.sizeBytes = try c.decodeIfPresent(Int64.self, forKey: .sizeBytes)
    self.mode = try c.decodeIfPresent(Int.self, forKey: .mode)
    self.options = try c.decodeIfPresent([[String]].self, forKey: .options)
  }
}

/// A mount as shown by inspect and `docker ps` (`Mounts`).
public struct MountPoint: Codable, Sendable, Equatable {
  public var type: String?
  public var name: String?
  public var source: String
  public var destination: String
  public var driver: String?
  public var mode: String
  public var rw: Bool
  public var propagation: String

  public init(
    type: String? = nil,
    name: String? = nil,
    source: String = "",
    destination: String = "",
    driver: String? = nil,
    mode: String = "",
    rw: Bool = true,
    propagation: String = ""
  ) {
    self.type = type
    self.name = name
    self.source = source
    self.destination = destination
    self.driver = driver
    self.mode = mode
    self.rw = rw
    self.propagation = propagation
  }

  enum CodingKeys: String, CodingKey {
    case type = "Type"
    case name = "Name"
    case source = "Source"
    case destination = "Destination"
    case driver = "Driver"
    case mode = "Mode"
    case rw = "RW"
    case propagation = "Propagation"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.type = try c.decodeIfPresent(String.self, forKey: .type)
    self.name = try c.decodeIfPresent(String.self, forKey: .name)
    self.source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
    self.destination = try c.decodeIfPresent(String.self, forKey: .destination) ?? ""
    self.driver = try c.decodeIfPresent(String.self, forKey: .driver)
    self.mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? ""
    self.rw = try c.decodeIfPresent(Bool.self, forKey: .rw) ?? true
    self.propagation = try c.decodeIfPresent(String.self, forKey: .propagation) ?? ""
  }
}
