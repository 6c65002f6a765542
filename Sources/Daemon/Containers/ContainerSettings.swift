// What a create request asks for: Docker's container Config and HostConfig, reduced to the
// fields Berth acts on. The Engine maps EngineAPI's create request onto this; the container
// record stores it (after merging with the image config, as `docker inspect` shows it).
import OCI

public struct ContainerSettings: Codable, Sendable, Equatable {
  // MARK: Config
  public var image: String = ""
  public var hostname: String?
  public var domainname: String?
  public var user: String?
  public var env: [String]?
  public var cmd: [String]?
  /// nil: not given (the image's is used); [] or [""]: explicitly reset.
  public var entrypoint: [String]?
  public var workingDir: String?
  public var labels: [String: String]?
  public var tty: Bool = false
  public var openStdin: Bool = false
  public var stdinOnce: Bool = false
  public var attachStdin: Bool = false
  public var attachStdout: Bool = false
  public var attachStderr: Bool = false
  public var stopSignal: String?
  public var stopTimeout: Int?
  /// "80/tcp" keys.
  public var exposedPorts: [String]?
  /// Container paths of volumes (from the image's VOLUME or `-v /path`).
  public var volumes: [String]?
  public var healthcheck: ImageConfig.Healthcheck?
  public var argsEscaped: Bool?

  // MARK: HostConfig
  public var binds: [String]?
  public var mounts: [MountSetting]?
  public var tmpfs: [String: String]?
  /// `[height, width]` of the terminal at create (`-t`); the client resizes later.
  public var consoleSize: [Int]?
  public var networkMode: String?
  /// "80/tcp" → bindings. Any binding answers "not supported yet".
  public var portBindings: [String: [PortBinding]]?
  public var publishAllPorts: Bool = false
  public var privileged: Bool = false
  public var capAdd: [String]?
  public var capDrop: [String]?
  public var readonlyRootfs: Bool = false
  public var securityOpt: [String]?
  public var initProcess: Bool?
  public var ipcMode: String?
  public var pidMode: String?
  public var utsMode: String?
  public var shmSize: Int64?
  /// HostConfig.CgroupParent (`--cgroup-parent`): the container's cgroup goes under this one
  /// instead of the daemon's --cgroup-parent. nil: the daemon's.
  public var cgroupParent: String?
  public var resources = ResourceSettings()
  public var oomScoreAdj: Int?
  public var groupAdd: [String]?
  public var devices: [DeviceMapping]?
  public var dns: [String]?
  public var dnsSearch: [String]?
  public var dnsOptions: [String]?
  public var extraHosts: [String]?
  /// Legacy `--link name[:alias]` (on the default bridge: hosts entries for the linked).
  public var links: [String]?
  public var sysctls: [String: String]?
  public var restartPolicy = RestartPolicy()
  public var autoRemove: Bool = false
  /// The OCI runtime's name (HostConfig.Runtime); nil in records made before runtimes had
  /// names, which ran berth-runtime.
  public var runtime: String?
  /// The logging driver and its options; nil in records made before it was kept (json-file).
  public var log: LogSettings?
  /// As given (`--volumes-from`); their binds are in `binds` from create on.
  public var volumesFrom: [String]?
  /// `--device-cgroup-rule`s ("c 1:3 mr").
  public var deviceCgroupRules: [String]?
  /// "host" or "private"; nil: the host's default (private on cgroup v2, host on v1).
  public var cgroupnsMode: String?
  /// NetworkingConfig.EndpointsConfig: network name or id → what the container asks of
  /// its endpoint there (the network mode's network, and any more `--network`s).
  public var endpoints: [String: EndpointRequest]?

  public init(image: String = "") { self.image = image }
}

/// A container's wishes for its endpoint on one network (`--ip`, `--ip6`, `--mac-address`,
/// `--network-alias`).
public struct EndpointRequest: Codable, Sendable, Equatable {
  public var ipv4: String?
  public var ipv6: String?
  public var mac: String?
  public var aliases: [String]?

  public init(ipv4: String? = nil, ipv6: String? = nil, mac: String? = nil, aliases: [String]? = nil) {
    self.ipv4 = ipv4
    self.ipv6 = ipv6
    self.mac = mac
    self.aliases = aliases
  }
}

public struct ResourceSettings: Codable, Sendable, Equatable {
  public var memory: Int64?
  /// Memory + swap; -1 unlimited; unset with `memory` set means twice the memory (Docker).
  public var memorySwap: Int64?
  public var memoryReservation: Int64?
  public var memorySwappiness: Int64?
  public var oomKillDisable: Bool?
  public var nanoCpus: Int64?
  public var cpuShares: Int64?
  public var cpuQuota: Int64?
  public var cpuPeriod: Int64?
  public var cpusetCpus: String?
  public var cpusetMems: String?
  public var pidsLimit: Int64?
  public var blkioWeight: UInt16?
  public var ulimits: [Ulimit]?
  public init() {}
}

public struct Ulimit: Codable, Sendable, Equatable {
  public var name: String
  public var soft: Int64
  public var hard: Int64
  public init(name: String, soft: Int64, hard: Int64) {
    self.name = name
    self.soft = soft
    self.hard = hard
  }
}

public struct PortBinding: Codable, Sendable, Equatable {
  public var hostIP: String?
  public var hostPort: String?
  public init(hostIP: String? = nil, hostPort: String? = nil) {
    self.hostIP = hostIP
    self.hostPort = hostPort
  }
}

public struct DeviceMapping: Codable, Sendable, Equatable {
  public var pathOnHost: String
  public var pathInContainer: String
  public var cgroupPermissions: String
  public init(pathOnHost: String, pathInContainer: String = "", cgroupPermissions: String = "rwm") {
    self.pathOnHost = pathOnHost
    self.pathInContainer = pathInContainer
    self.cgroupPermissions = cgroupPermissions
  }
}

public struct RestartPolicy: Codable, Sendable, Equatable {
  /// "", "no", "always", "on-failure", "unless-stopped".
  public var name: String
  public var maximumRetryCount: Int
  public init(name: String = "no", maximumRetryCount: Int = 0) {
    self.name = name
    self.maximumRetryCount = maximumRetryCount
  }
}

/// One `--mount` (HostConfig.Mounts entry).
public struct MountSetting: Codable, Sendable, Equatable {
  /// "bind", "volume", "tmpfs".
  public var type: String
  public var source: String?
  public var target: String
  public var readOnly: Bool = false
  /// Bind propagation ("rprivate" by default).
  public var propagation: String?
  public var nonRecursive: Bool = false
  public var tmpfsSize: Int64?
  public var tmpfsMode: UInt32?
  public init(type: String, source: String? = nil, target: String, readOnly: Bool = false) {
    self.type = type
    self.source = source
    self.target = target
    self.readOnly = readOnly
  }
}
