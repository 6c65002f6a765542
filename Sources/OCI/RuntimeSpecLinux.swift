// The `linux` section of the OCI runtime-spec config.

public struct Linux: Codable, Sendable, Equatable {
  public var uidMappings: [IDMapping]?
  public var gidMappings: [IDMapping]?
  public var sysctl: [String: String]?
  public var resources: Resources?
  public var cgroupsPath: String?
  public var namespaces: [Namespace]?
  public var devices: [Device]?
  public var seccomp: Seccomp?
  public var rootfsPropagation: String?
  public var maskedPaths: [String]?
  public var readonlyPaths: [String]?
  public var mountLabel: String?
  public var personality: Personality?
  public init() {}
}

public struct IDMapping: Codable, Sendable, Equatable {
  public var containerID: UInt32
  public var hostID: UInt32
  public var size: UInt32
  public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
    self.containerID = containerID
    self.hostID = hostID
    self.size = size
  }
}

public struct Namespace: Codable, Sendable, Equatable {
  /// pid, network, mount, ipc, uts, user, cgroup, time.
  public var type: String
  public var path: String?
  public init(type: String, path: String? = nil) {
    self.type = type
    self.path = path
  }
}

public struct Device: Codable, Sendable, Equatable {
  public var path: String
  /// c, b, u or p.
  public var type: String
  public var major: Int64?
  public var minor: Int64?
  public var fileMode: UInt32?
  public var uid: UInt32?
  public var gid: UInt32?
  public init(
    path: String, type: String, major: Int64? = nil, minor: Int64? = nil,
    fileMode: UInt32? = nil, uid: UInt32? = nil, gid: UInt32? = nil
  ) {
    self.path = path
    self.type = type
    self.major = major
    self.minor = minor
    self.fileMode = fileMode
    self.uid = uid
    self.gid = gid
  }
}

public struct Personality: Codable, Sendable, Equatable {
  public var domain: String
  public var flags: [String]?
}

public struct Resources: Codable, Sendable, Equatable {
  public var devices: [DeviceCgroupRule]?
  public var memory: MemoryResources?
  public var cpu: CPUResources?
  public var pids: PidsResources?
  public var blockIO: BlockIOResources?
  public var hugepageLimits: [HugepageLimit]?
  public var network: NetworkResources?
  public var unified: [String: String]?
  public init(
    devices: [DeviceCgroupRule]? = nil, memory: MemoryResources? = nil, cpu: CPUResources? = nil,
    pids: PidsResources? = nil, blockIO: BlockIOResources? = nil
  ) {
    self.devices = devices
    self.memory = memory
    self.cpu = cpu
    self.pids = pids
    self.blockIO = blockIO
  }
}

public struct DeviceCgroupRule: Codable, Sendable, Equatable {
  public var allow: Bool
  /// a (all), c or b; nil means all.
  public var type: String?
  public var major: Int64?
  public var minor: Int64?
  /// Some combination of r, w and m.
  public var access: String?
  public init(allow: Bool, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, access: String? = nil) {
    self.allow = allow
    self.type = type
    self.major = major
    self.minor = minor
    self.access = access
  }
}

public struct MemoryResources: Codable, Sendable, Equatable {
  public var limit: Int64?
  public var reservation: Int64?
  public var swap: Int64?
  public var kernel: Int64?
  public var kernelTCP: Int64?
  public var swappiness: UInt64?
  public var disableOOMKiller: Bool?
  public var useHierarchy: Bool?
  public init(limit: Int64? = nil, reservation: Int64? = nil, swap: Int64? = nil) {
    self.limit = limit
    self.reservation = reservation
    self.swap = swap
  }
}

public struct CPUResources: Codable, Sendable, Equatable {
  public var shares: UInt64?
  public var quota: Int64?
  public var burst: UInt64?
  public var period: UInt64?
  public var realtimeRuntime: Int64?
  public var realtimePeriod: UInt64?
  public var cpus: String?
  public var mems: String?
  public var idle: Int64?
  public init(
    shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil, cpus: String? = nil, mems: String? = nil
  ) {
    self.shares = shares
    self.quota = quota
    self.period = period
    self.cpus = cpus
    self.mems = mems
  }
}

public struct PidsResources: Codable, Sendable, Equatable {
  public var limit: Int64?
  public init(limit: Int64? = nil) { self.limit = limit }
}

public struct BlockIOResources: Codable, Sendable, Equatable {
  public var weight: UInt16?
  public var leafWeight: UInt16?
  public var weightDevice: [WeightDevice]?
  public var throttleReadBpsDevice: [ThrottleDevice]?
  public var throttleWriteBpsDevice: [ThrottleDevice]?
  public var throttleReadIOPSDevice: [ThrottleDevice]?
  public var throttleWriteIOPSDevice: [ThrottleDevice]?
  public init(weight: UInt16? = nil) { self.weight = weight }
}

public struct WeightDevice: Codable, Sendable, Equatable {
  public var major: Int64
  public var minor: Int64
  public var weight: UInt16?
  public var leafWeight: UInt16?
}

public struct ThrottleDevice: Codable, Sendable, Equatable {
  public var major: Int64
  public var minor: Int64
  public var rate: UInt64
}

public struct HugepageLimit: Codable, Sendable, Equatable {
  public var pageSize: String
  public var limit: UInt64
}

public struct NetworkResources: Codable, Sendable, Equatable {
  public var classID: UInt32?
  public var priorities: [NetworkPriority]?
}

public struct NetworkPriority: Codable, Sendable, Equatable {
  public var name: String
  public var priority: UInt32
}

public struct Seccomp: Codable, Sendable, Equatable {
  public var defaultAction: String
  public var defaultErrnoRet: UInt32?
  public var architectures: [String]?
  public var flags: [String]?
  public var listenerPath: String?
  public var listenerMetadata: String?
  public var syscalls: [SeccompSyscall]?
  public init(
    defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String]? = nil,
    syscalls: [SeccompSyscall]? = nil
  ) {
    self.defaultAction = defaultAction
    self.defaultErrnoRet = defaultErrnoRet
    self.architectures = architectures
    self.syscalls = syscalls
  }
}

public struct SeccompSyscall: Codable, Sendable, Equatable {
  public var names: [String]
  public var action: String
  public var errnoRet: UInt32?
  public var args: [SeccompArg]?
  public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [SeccompArg]? = nil) {
    self.names = names
    self.action = action
    self.errnoRet = errnoRet
    self.args = args
  }
}

public struct SeccompArg: Codable, Sendable, Equatable {
  public var index: UInt32
  public var value: UInt64
  public var valueTwo: UInt64?
  /// SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ.
  public var op: String
  public init(index: UInt32, value: UInt64, valueTwo: UInt64? = nil, op: String) {
    self.index = index
    self.value = value
    self.valueTwo = valueTwo
    self.op = op
  }
}
