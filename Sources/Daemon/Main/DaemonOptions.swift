// berthd's settings: dockerd's flags and its JSON config file.
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

public struct DaemonOptions: Sendable {
  public var dataRoot = "/var/lib/berth"
  public var execRoot = "/run/berth"
  public var hosts: [String] = []
  public var logLevel = DaemonLogLevel.info
  public var logFormat = DaemonLogFormat.text
  /// dockerd's --add-runtime NAME=PATH (and `runtimes` in the config file), by name.
  public var addedRuntimes: [String: String] = [:]
  /// dockerd's --default-runtime; berth-runtime unless set.
  public var defaultRuntime = RuntimeRegistry.berth
  /// dockerd's --insecure-registry (host[:port] or CIDR): plain HTTP or unverified TLS.
  public var insecureRegistries: [String] = []
  /// dockerd's --registry-mirror: mirrors of Docker Hub.
  public var registryMirrors: [String] = []
  public var configFile: String?
  /// The cgroup every container's cgroup is made under (dockerd's --cgroup-parent).
  public var cgroupParent = "/berth"
  /// dockerd's --init: run an init in containers that do not set HostConfig.Init.
  public var defaultInit = false
  /// dockerd's --init-path; else berth-init next to berthd or in PATH.
  public var initPath: String?
  /// `hosts` parsed; a tcp:// one is served only with `tlsVerify`.
  public var listeners: [DaemonListener] = []
  /// dockerd's --tls (implied by --tlsverify) and --tlsverify (require client certificates).
  public var tls = false
  public var tlsVerify = false
  /// PEM files; dockerd's defaults: ca.pem, cert.pem, key.pem in $DOCKER_CERT_PATH or ~/.docker.
  public var tlsCACert = DaemonOptions.defaultCertPath("ca.pem")
  public var tlsCert = DaemonOptions.defaultCertPath("cert.pem")
  public var tlsKey = DaemonOptions.defaultCertPath("key.pem")
  /// dockerd's --bridge: "none" gives containers without a network loopback only (and no
  /// default bridge); anything else is Berth's own default bridge (berth0).
  public var bridge = ""
  /// dockerd's --bip (the default bridge's address and prefix) and --mtu.
  public var bip: String?
  public var mtu: UInt32?
  /// dockerd's --dns (repeated).
  public var dnsServers: [String] = []
  /// dockerd's --default-address-pool base=10.10.0.0/16,size=24 (repeated).
  public var addressPools: [(base: String, size: Int)] = []

  init() {}

  /// Flags as dockerd's, then the JSON config file (`--config-file`, else /etc/berth/daemon.json
  /// when it exists) under the same rules as dockerd's daemon.json: its keys are the flags'
  /// long names, and a setting given both ways is an error rather than a silent override.
  public init(parsing args: [String]) throws {
    var fromFlags = DaemonOptions()
    let flagged = try fromFlags.apply(args)
    let file = fromFlags.configFile ?? (Files.exists(Self.defaultConfigFile) ? Self.defaultConfigFile : nil)
    if let file {
      let fileArgs = try DaemonConfigFile.arguments(path: file, alsoSetByFlag: flagged)
      var combined = DaemonOptions()
      _ = try combined.apply(fileArgs + args)
      self = combined
    } else {
      self = fromFlags
    }
    try resolveListeners()
  }

  static let defaultConfigFile = "/etc/berth/daemon.json"

  /// Parses `args` into self; returns the config-file names of the settings they set.
  private mutating func apply(_ args: [String]) throws -> Set<String> {
    var set: Set<String> = []
    var i = 0
    func value(_ flag: String) throws -> String {
      if let eq = args[i].firstIndex(of: "=") { return String(args[i][args[i].index(after: eq)...]) }
      i += 1
      guard i < args.count else { throw DaemonError.invalid("flag needs an argument: \(flag)") }
      return args[i]
    }
    // A boolean flag as Go's: `--flag` or `--flag=true|false`, never the next argument.
    func bool(_ flag: String) throws -> Bool {
      guard let eq = args[i].firstIndex(of: "=") else { return true }
      switch args[i][args[i].index(after: eq)...] {
      case "true", "1": return true
      case "false", "0": return false
      default: throw DaemonError.invalid("\(flag) takes true or false, got \(args[i])")
      }
    }
    while i < args.count {
      let a = args[i]
      let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
      set.insert(DaemonConfigFile.key(forFlag: name))
      switch name {
      case "--data-root": dataRoot = try value(name)
      case "--exec-root": execRoot = try value(name)
      case "-H", "--host": hosts.append(try value(name))
      case "--log-level", "-l":
        let level = try value(name)
        guard let parsed = DaemonLogLevel(rawValue: level == "warning" ? "warn" : level) else {
          throw DaemonError.invalid("unable to parse logging level: \(level)")
        }
        logLevel = parsed
      case "--log-format":
        let format = try value(name)
        guard let parsed = DaemonLogFormat(rawValue: format) else {
          throw DaemonError.invalid("invalid log format \"\(format)\": must be text or json")
        }
        logFormat = parsed
      case "--add-runtime":
        let spec = try value(name)
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
          throw DaemonError.invalid("invalid runtime \(spec): expected NAME=PATH")
        }
        let runtimeName = String(spec[..<eq])
        guard runtimeName != RuntimeRegistry.berth else {
          throw DaemonError.invalid("runtime name '\(runtimeName)' is reserved")
        }
        guard addedRuntimes[runtimeName] == nil else {
          throw DaemonError.invalid("runtime name '\(runtimeName)' is given twice")
        }
        addedRuntimes[runtimeName] = String(spec[spec.index(after: eq)...])
      case "--default-runtime": defaultRuntime = try value(name)
      case "--insecure-registry": insecureRegistries.append(try value(name))
      case "--registry-mirror": registryMirrors.append(try value(name))
      case "--config-file": configFile = try value(name)
      case "--init": defaultInit = try bool(name)
      case "--bridge", "-b": bridge = try value(name)
      case "--bip": bip = try value(name)
      case "--dns": dnsServers.append(try value(name))
      case "--default-address-pool":
        let text = try value(name)
        var fields: [String: String] = [:]
        for item in text.split(separator: ",") {
          let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
          if kv.count == 2 { fields[kv[0]] = kv[1] }
        }
        guard let base = fields["base"], let size = fields["size"].flatMap({ Int($0) }) else {
          throw DaemonError.invalid("invalid --default-address-pool \(text): want base=CIDR,size=N")
        }
        addressPools.append((base, size))
      case "--mtu":
        let text = try value(name)
        guard let n = UInt32(text) else { throw DaemonError.invalid("invalid --mtu: \(text)") }
        mtu = n
      case "--init-path": initPath = try value(name)
      case "--tls": tls = try bool(name)
      case "--tlsverify": tlsVerify = try bool(name)
      case "--tlscacert": tlsCACert = try value(name)
      case "--tlscert": tlsCert = try value(name)
      case "--tlskey": tlsKey = try value(name)
      case "--cgroup-parent":
        cgroupParent = try value(name)
        let parts = cgroupParent.split(separator: "/")
        guard cgroupParent.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
          throw DaemonError.invalid("--cgroup-parent must be an absolute cgroup path like /berth, got \(cgroupParent)")
        }
      case "-h", "--help":
        print(
          """
          Usage: berthd [--data-root DIR] [--exec-root DIR] [-H unix:///path|tcp://HOST:PORT]...
                        [--tlsverify --tlscacert CA --tlscert CERT --tlskey KEY]
                        [--cgroup-parent /PATH] [--init] [--init-path PATH]
                        [--log-level debug|info|warn|error|fatal] [--log-format text|json]
                        [--add-runtime NAME=PATH]... [--default-runtime NAME]
                        [--config-file FILE (default /etc/berth/daemon.json)]
          """)
        exit(0)
      default: throw DaemonError.invalid("unknown flag: \(a)")
      }
      i += 1
    }
    return set
  }

  /// The listeners of `hosts` (the default socket if none), refusing TCP without client certificates.
  private mutating func resolveListeners() throws {
    if hosts.isEmpty { hosts = ["unix://\(execRoot)/berth.sock"] }
    if tlsVerify { tls = true }
    let defaultPort = tls ? DaemonListener.tlsPort : DaemonListener.plainPort
    listeners = try hosts.map { try DaemonListener(parsing: $0, defaultPort: defaultPort) }
    // The API is root on this machine: over the network only to clients with a certificate.
    if let open = listeners.first(where: \.isTCP), !tlsVerify {
      throw DaemonError.invalid(
        "refusing to listen on \(open) without --tlsverify: berthd serves the API over TCP only with TLS "
          + "client-certificate authentication (--tlsverify --tlscacert CA.pem --tlscert CERT.pem --tlskey KEY.pem)")
    }
  }

  /// `name` in $DOCKER_CERT_PATH, else in ~/.docker.
  static func defaultCertPath(_ name: String) -> String {
    if let dir = getenv("DOCKER_CERT_PATH").map({ String(cString: $0) }), !dir.isEmpty { return dir + "/" + name }
    let home = getenv("HOME").map { String(cString: $0) } ?? "/root"
    return home + "/.docker/" + name
  }
}
