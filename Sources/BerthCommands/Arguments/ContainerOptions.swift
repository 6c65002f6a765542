import EngineAPI
import EngineClient
import Glibc
import LinuxOS

/// The flags `run` and `create` share, and their translation to `POST /containers/create`.
enum ContainerOptions {
  static let flags: [Flag] = [
    .list("add-host", nil, "Add a custom host-to-IP mapping (host:ip)"),
    .list("attach", "a", "Attach to STDIN, STDOUT or STDERR"),
    .list("cap-add", nil, "Add Linux capabilities"),
    .list("cap-drop", nil, "Drop Linux capabilities"),
    .string("cgroup-parent", nil, "Optional parent cgroup for the container"),
    .string("cidfile", nil, "Write the container ID to the file"),
    .typed("int", "cpu-shares", "c", "CPU shares (relative weight)"),
    .typed("decimal", "cpus", nil, "Number of CPUs"),
    .string("cpuset-cpus", nil, "CPUs in which to allow execution (0-3, 0,1)"),
    .string("cpuset-mems", nil, "MEMs in which to allow execution (0-3, 0,1)"),
    .list("device", nil, "Add a host device to the container"),
    .list("dns", nil, "Set custom DNS servers"),
    .list("dns-option", nil, "Set DNS options"),
    .list("dns-search", nil, "Set custom DNS search domains"),
    .string("domainname", nil, "Container NIS domain name"),
    .string("entrypoint", nil, "Overwrite the default ENTRYPOINT of the image"),
    .list("env", "e", "Set environment variables"),
    .list("env-file", nil, "Read in a file of environment variables"),
    .list("expose", nil, "Expose a port or a range of ports"),
    .list("group-add", nil, "Add additional groups to join"),
    .string("health-cmd", nil, "Command to run to check health"),
    .typed("duration", "health-interval", nil, "Time between running the check (ms|s|m|h) (default 0s)"),
    .int("health-retries", nil, "Consecutive failures needed to report unhealthy"),
    .typed("duration", "health-timeout", nil, "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"),
    .typed(
      "duration", "health-start-period", nil,
      "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)"),
    .string("hostname", "h", "Container host name"),
    .bool("init", nil, "Run an init inside the container that forwards signals and reaps processes"),
    .bool("interactive", "i", "Keep STDIN open even if not attached"),
    .string("ip", nil, "IPv4 address (e.g., 172.30.100.104)"),
    .string("ip6", nil, "IPv6 address (e.g., 2001:db8::33)"),
    .string("ipc", nil, "IPC mode to use"),
    .list("label", "l", "Set meta data on a container"),
    .list("label-file", nil, "Read in a line delimited file of labels"),
    .list("link", nil, "Add link to another container"),
    .string("log-driver", nil, "Logging driver for the container"),
    .list("log-opt", nil, "Log driver options"),
    .string("mac-address", nil, "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
    .typed("bytes", "memory", "m", "Memory limit"),
    .typed("bytes", "memory-reservation", nil, "Memory soft limit"),
    .typed("bytes", "memory-swap", nil, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
    .typed("int", "memory-swappiness", nil, "Tune container memory swappiness (0 to 100) (default -1)"),
    .typed("mount", "mount", nil, "Attach a filesystem mount to the container"),
    .string("name", nil, "Assign a name to the container"),
    .typed("network", "network", nil, "Connect a container to a network"),
    .typed("network", "net", nil, "Connect a container to a network"),
    .list("network-alias", nil, "Add network-scoped alias for the container"),
    .bool("no-healthcheck", nil, "Disable any container-specified HEALTHCHECK"),
    .bool("oom-kill-disable", nil, "Disable OOM Killer"),
    .int("oom-score-adj", nil, "Tune host's OOM preferences (-1000 to 1000)"),
    .string("pid", nil, "PID namespace to use"),
    .typed("int", "pids-limit", nil, "Tune container pids limit (set -1 for unlimited)"),
    .string("platform", nil, "Set platform if server is multi-platform capable"),
    .bool("privileged", nil, "Give extended privileges to this container"),
    .list("publish", "p", "Publish a container's port(s) to the host"),
    .bool("publish-all", "P", "Publish all exposed ports to random ports"),
    .string("pull", nil, "Pull image before running (\"always\", \"missing\", \"never\")", default: "\"missing\""),
    .bool("quiet", "q", "Suppress the pull output"),
    .bool("read-only", nil, "Mount the container's root filesystem as read only"),
    .string("restart", nil, "Restart policy to apply when a container exits", default: "\"no\""),
    .bool("rm", nil, "Automatically remove the container and its associated anonymous volumes when it exits"),
    .string("runtime", nil, "Runtime to use for this container"),
    .list("security-opt", nil, "Security Options"),
    .typed("bytes", "shm-size", nil, "Size of /dev/shm"),
    .string("stop-signal", nil, "Signal to stop the container"),
    .int("stop-timeout", nil, "Timeout (in seconds) to stop a container"),
    .typed("map", "sysctl", nil, "Sysctl options"),
    .list("tmpfs", nil, "Mount a tmpfs directory"),
    .bool("tty", "t", "Allocate a pseudo-TTY"),
    .typed("ulimit", "ulimit", nil, "Ulimit options"),
    .string("user", "u", "Username or UID (format: <name|uid>[:<group|gid>])"),
    .string("userns", nil, "User namespace to use"),
    .string("uts", nil, "UTS namespace to use"),
    .list("volume", "v", "Bind mount a volume"),
    .list("volumes-from", nil, "Mount volumes from the specified container(s)"),
    .string("workdir", "w", "Working directory inside the container"),
  ]

  /// What `run`/`create` send, plus the bits the CLI needs afterwards.
  struct Parsed {
    var image: String
    var name: String?
    var platform: String?
    var request: ContainerCreateRequest
  }

  /// A bad value: run/create print it as docker does ("berth: …" and the help hint), exit 125.
  static func usage(_ message: String) -> CommandError { .status(message, 125) }

  /// Builds the create request from flags and positionals (IMAGE [COMMAND] [ARG...]).
  static func parse(_ flags: ParsedFlags, environment: [String: String], detach: Bool) throws -> Parsed {
    guard let image = flags.positionals.first else { throw usage("image name is required") }
    var config = ContainerConfig()
    var host = HostConfig()
    config.image = image
    let command = Array(flags.positionals.dropFirst())
    if !command.isEmpty { config.cmd = command }
    if let entrypoint = flags.string("entrypoint") { config.entrypoint = [entrypoint] }
    config.hostname = flags.string("hostname")
    config.domainname = flags.string("domainname")
    config.user = flags.string("user")
    config.workingDir = flags.string("workdir")
    config.stopSignal = flags.string("stop-signal")
    config.stopTimeout = flags.int("stop-timeout")

    // Environment: files first, then -e (docker's order).
    var env: [String] = []
    for file in flags.all("env-file") { env += try readEnvFile(file, environment: environment) }
    for item in flags.all("env") {
      if item.contains("=") {
        env.append(item)
      } else if let value = environment[item] {
        env.append("\(item)=\(value)")
      }
    }
    if !env.isEmpty { config.env = env }

    var labels: [String: String] = [:]
    for file in flags.all("label-file") {
      for line in try readLines(file) { labels.merge(keyValues([line]), uniquingKeysWith: { $1 }) }
    }
    labels.merge(keyValues(flags.all("label")), uniquingKeysWith: { $1 })
    if !labels.isEmpty { config.labels = labels }

    // Streams.
    let interactive = flags.bool("interactive")
    let tty = flags.bool("tty")
    config.tty = tty
    config.openStdin = interactive
    var attach = Set(flags.all("attach").map { $0.lowercased() })
    for a in attach where !["stdin", "stdout", "stderr"].contains(a) {
      throw usage("invalid argument \"\(a)\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR")
    }
    if detach {
      if !attach.isEmpty { throw usage("Conflicting options: -a and -d") }
    } else if attach.isEmpty {
      attach = ["stdout", "stderr"]
      if interactive { attach.insert("stdin") }
    }
    config.attachStdin = attach.contains("stdin")
    config.attachStdout = attach.contains("stdout")
    config.attachStderr = attach.contains("stderr")
    config.stdinOnce = config.attachStdin == true && !detach

    // Ports (docker's order: -p, then --expose adds what is missing).
    var exposedOrder: [String] = []
    let published: (exposed: [String], bindings: [(String, [PortBinding])])
    do {
      published = try PortSpec.parsePublish(flags.all("publish"))
      exposedOrder = published.exposed
      for spec in flags.all("expose") {
        for port in try PortSpec.parseExpose(spec) where !exposedOrder.contains(port) { exposedOrder.append(port) }
      }
    } catch let error as PortSpec.Failure {
      throw usage(error.description)
    }
    if !exposedOrder.isEmpty {
      config.exposedPorts = Dictionary(uniqueKeysWithValues: exposedOrder.map { ($0, EmptyObject()) })
    }
    // docker sends the map even when empty.
    host.portBindings = Dictionary(uniqueKeysWithValues: published.bindings.map { ($0.0, Optional($0.1)) })
    if flags.bool("publish-all") { host.publishAllPorts = true }

    // Volumes and mounts.
    var binds: [String] = []
    var volumes: [String: EmptyObject] = [:]
    for spec in flags.all("volume") {
      let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
      if parts.count == 1 {
        volumes[spec] = EmptyObject()
      } else {
        binds.append(spec)
      }
    }
    if !binds.isEmpty { host.binds = binds }
    if !volumes.isEmpty { config.volumes = volumes }
    let mounts = try flags.all("mount").map(parseMount)
    if !mounts.isEmpty { host.mounts = mounts }
    var tmpfs: [String: String] = [:]
    for spec in flags.all("tmpfs") {
      if let colon = spec.firstIndex(of: ":") {
        tmpfs[String(spec[..<colon])] = String(spec[spec.index(after: colon)...])
      } else {
        tmpfs[spec] = ""
      }
    }
    if !tmpfs.isEmpty { host.tmpfs = tmpfs }
    if !flags.all("volumes-from").isEmpty { host.volumesFrom = flags.all("volumes-from") }

    // Resources.
    if let m = flags.string("memory") { host.memory = try bytes(m, "-m, --memory") }
    if let m = flags.string("memory-reservation") { host.memoryReservation = try bytes(m, "--memory-reservation") }
    if let m = flags.string("memory-swap") {
      host.memorySwap = m == "-1" ? -1 : try bytes(m, "--memory-swap")
    }
    if let s = flags.int("memory-swappiness") { host.memorySwappiness = Int64(s) }
    if let s = flags.string("shm-size") { host.shmSize = try bytes(s, "--shm-size") }
    if let c = flags.string("cpus") {
      guard let v = Double(c), v >= 0 else {
        throw usage("invalid argument \"\(c)\" for \"--cpus\" flag: failed to parse \(c) as a rational number")
      }
      host.nanoCpus = Int64((v * 1e9).rounded())
    }
    if let c = flags.int("cpu-shares") { host.cpuShares = Int64(c) }
    host.cpusetCpus = flags.string("cpuset-cpus")
    host.cpusetMems = flags.string("cpuset-mems")
    if let p = flags.int("pids-limit") { host.pidsLimit = Int64(p) }
    if flags.bool("oom-kill-disable") { host.oomKillDisable = true }
    host.oomScoreAdj = flags.int("oom-score-adj")
    host.cgroupParent = flags.string("cgroup-parent")
    let ulimits = try flags.all("ulimit").map(parseUlimit)
    if !ulimits.isEmpty { host.ulimits = ulimits }

    // Security and namespaces.
    if flags.bool("privileged") { host.privileged = true }
    if flags.bool("read-only") { host.readonlyRootfs = true }
    if flags.bool("init") { host.initProcess = true }
    if !flags.all("cap-add").isEmpty { host.capAdd = flags.all("cap-add") }
    if !flags.all("cap-drop").isEmpty { host.capDrop = flags.all("cap-drop") }
    if !flags.all("security-opt").isEmpty { host.securityOpt = flags.all("security-opt") }
    if !flags.all("group-add").isEmpty { host.groupAdd = flags.all("group-add") }
    host.pidMode = flags.string("pid")
    host.ipcMode = flags.string("ipc")
    host.utsMode = flags.string("uts")
    host.usernsMode = flags.string("userns")
    host.runtime = flags.string("runtime")
    let sysctls = keyValues(flags.all("sysctl"))
    if !sysctls.isEmpty { host.sysctls = sysctls }
    let devices = flags.all("device").map { spec -> DeviceMapping in
      let parts = spec.split(separator: ":").map(String.init)
      return DeviceMapping(
        pathOnHost: parts.first ?? spec, pathInContainer: parts.count > 1 ? parts[1] : (parts.first ?? spec),
        cgroupPermissions: parts.count > 2 ? parts[2] : "rwm")
    }
    if !devices.isEmpty { host.devices = devices }

    // Network.
    var networking = NetworkOptions.Flags()
    networking.networks = flags.all("network") + flags.all("net")
    networking.aliases = flags.all("network-alias")
    networking.links = flags.all("link")
    networking.ipv4 = flags.string("ip") ?? ""
    networking.ipv6 = flags.string("ip6") ?? ""
    networking.mac = flags.string("mac-address") ?? ""
    let network: (mode: String, links: [String]?, endpoints: [String: EndpointSettings])
    do {
      network = try NetworkOptions.map(networking)
    } catch let error as NetworkOptions.Failure {
      throw usage(error.description)
    }
    host.networkMode = network.mode
    host.links = network.links
    let dns = try flags.all("dns").map(NetworkOptions.dnsServer)
    if !dns.isEmpty { host.dns = dns }
    if !flags.all("dns-option").isEmpty { host.dnsOptions = flags.all("dns-option") }
    if !flags.all("dns-search").isEmpty { host.dnsSearch = flags.all("dns-search") }
    let extraHosts = try flags.all("add-host").map(NetworkOptions.extraHost)
    if !extraHosts.isEmpty { host.extraHosts = extraHosts }

    // Lifecycle.
    if let restart = flags.string("restart") { host.restartPolicy = try parseRestart(restart) }
    if flags.bool("rm") {
      if let policy = host.restartPolicy, policy.name != "no", !policy.name.isEmpty {
        throw usage("Conflicting options: --restart and --rm")
      }
      host.autoRemove = true
    }
    if let driver = flags.string("log-driver") {
      host.logConfig = LogConfig(type: driver, config: keyValues(flags.all("log-opt")))
    }

    // Health.
    if flags.bool("no-healthcheck") {
      config.healthcheck = HealthConfig(test: ["NONE"])
    } else if let cmd = flags.string("health-cmd") {
      func nanos(_ name: String) throws -> Int64? {
        guard let text = flags.string(name) else { return nil }
        guard let d = Clock.parseDuration(text) else {
          throw usage("invalid argument \"\(text)\" for \"--\(name)\" flag")
        }
        return Int64(d * 1e9)
      }
      config.healthcheck = HealthConfig(
        test: ["CMD-SHELL", cmd], interval: try nanos("health-interval"), timeout: try nanos("health-timeout"),
        retries: flags.int("health-retries"), startPeriod: try nanos("health-start-period"))
    }

    let parsedRequest = ContainerCreateRequest(
      config: config, hostConfig: host, networkingConfig: NetworkingConfig(endpointsConfig: network.endpoints))
    return Parsed(image: image, name: flags.string("name"), platform: flags.string("platform"), request: parsedRequest)
  }

  static func bytes(_ text: String, _ flag: String) throws -> Int64 {
    guard let v = Units.parseBytes(text) else {
      throw usage("invalid argument \"\(text)\" for \"\(flag)\" flag: invalid size: '\(text)'")
    }
    return v
  }

  static func parseRestart(_ text: String) throws -> RestartPolicy {
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    let name = parts.first ?? "no"
    switch name {
    case "no", "always", "unless-stopped":
      guard parts.count == 1 else {
        throw usage("invalid restart policy format: maximum retry count cannot be used with restart policy '\(name)'")
      }
      return RestartPolicy(name: name)
    case "on-failure":
      if parts.count > 1 {
        guard let n = Int(parts[1]) else {
          throw usage("invalid restart policy format: maximum retry count must be an integer")
        }
        return RestartPolicy(name: name, maximumRetryCount: n)
      }
      return RestartPolicy(name: name)
    default:
      throw usage(
        "invalid restart policy format: unknown policy '\(name)'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
      )
    }
  }

  static func parseUlimit(_ text: String) throws -> Ulimit {
    guard let eq = text.firstIndex(of: "=") else { throw usage("invalid ulimit argument: \(text)") }
    let name = String(text[..<eq])
    let values = text[text.index(after: eq)...].split(separator: ":").map { Int64($0) }
    guard let soft = values.first ?? nil else { throw usage("invalid ulimit argument: \(text)") }
    let hard = values.count > 1 ? (values[1] ?? soft) : soft
    return Ulimit(name: name, soft: soft, hard: hard)
  }

  static func parseMount(_ text: String) throws -> Mount {
    var mount = Mount()
    mount.type = "volume"
    for field in text.split(separator: ",") {
      let kv = field.split(separator: "=", maxSplits: 1).map(String.init)
      let key = kv[0].lowercased()
      let value = kv.count > 1 ? kv[1] : nil
      switch key {
      case "type": mount.type = value
      case "source", "src": mount.source = value
      case "target", "destination", "dst": mount.target = value
      case "readonly", "ro": mount.readOnly = value.map { FlagParser.parseBool($0) ?? true } ?? true
      case "bind-propagation": mount.bindOptions = BindOptions(propagation: value)
      case "volume-nocopy":
        mount.volumeOptions = VolumeOptions(noCopy: value.map { FlagParser.parseBool($0) ?? true } ?? true)
      case "tmpfs-size":
        var o = mount.tmpfsOptions ?? TmpfsOptions()
        o.sizeBytes = try bytes(value ?? "", "--mount")
        mount.tmpfsOptions = o
      case "tmpfs-mode":
        var o = mount.tmpfsOptions ?? TmpfsOptions()
        o.mode = value.flatMap { Int($0, radix: 8) }
        mount.tmpfsOptions = o
      case "consistency": mount.consistency = value
      default: throw usage("invalid argument \"\(text)\" for \"--mount\" flag: unexpected key '\(key)' in '\(field)'")
      }
    }
    guard mount.target != nil else {
      throw usage("invalid argument \"\(text)\" for \"--mount\" flag: target is required")
    }
    return mount
  }

  /// docker's env-file format: `KEY=VALUE` lines, `#` comments, bare `KEY` taken from the environment.
  static func readEnvFile(_ path: String, environment: [String: String]) throws -> [String] {
    var out: [String] = []
    for line in try readLines(path) {
      let trimmed = String(line.drop(while: { $0 == " " || $0 == "\t" }))
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      if let eq = trimmed.firstIndex(of: "=") {
        let key = String(trimmed[..<eq])
        if key.contains(where: { $0 == " " || $0 == "\t" }) {
          throw usage("variable '\(key)' contains whitespaces")
        }
        out.append(trimmed)
      } else {
        let key = trimmed.trimmedSpaces()
        if let value = environment[key] { out.append("\(key)=\(value)") }
      }
    }
    return out
  }

  static func readLines(_ path: String) throws -> [String] {
    let data: [UInt8]
    do {
      let fd = try FD.open(path, O_RDONLY)
      defer { FD.close(fd) }
      data = try FD.readAll(fd)
    } catch {
      throw usage("open \(path): no such file or directory")
    }
    return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
  }
}
