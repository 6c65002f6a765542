// Container create: request → settings (merged with the image), record, writable snapshot,
// and the files bind-mounted over /etc/{hostname,hosts,resolv.conf}.
import BerthNetwork
import EngineAPI
import Images
import LinuxOS
import OCI

#if canImport(Glibc)
  import Glibc
#endif

extension ContainerSettings {
  /// EngineAPI's create request, reduced to what Berth acts on.
  init(_ r: ContainerCreateRequest) {
    let c = r.config
    self.init(image: c.image ?? "")
    endpoints = r.networkingConfig?.endpointsConfig.flatMap { $0.isEmpty ? nil : $0 }?.mapValues(EndpointRequest.init)
    hostname = c.hostname.flatMap { $0.isEmpty ? nil : $0 }
    domainname = c.domainname
    user = c.user
    env = c.env
    cmd = c.cmd
    entrypoint = c.entrypoint
    workingDir = c.workingDir
    labels = c.labels
    tty = c.tty ?? false
    openStdin = c.openStdin ?? false
    stdinOnce = c.stdinOnce ?? false
    attachStdin = c.attachStdin ?? false
    attachStdout = c.attachStdout ?? false
    attachStderr = c.attachStderr ?? false
    stopSignal = c.stopSignal
    stopTimeout = c.stopTimeout
    exposedPorts = c.exposedPorts.map { Array($0.keys).sorted() }
    volumes = c.volumes.map { Array($0.keys).sorted() }
    argsEscaped = c.argsEscaped
    if let h = c.healthcheck {
      healthcheck = ImageConfig.Healthcheck(
        test: h.test, interval: h.interval, timeout: h.timeout, startPeriod: h.startPeriod,
        startInterval: h.startInterval, retries: h.retries)
    }
    guard let h = r.hostConfig else { return }
    binds = h.binds
    consoleSize = h.consoleSize
    mounts = h.mounts?.map { m in
      var s = MountSetting(
        type: m.type ?? "volume", source: m.source, target: m.target ?? "", readOnly: m.readOnly ?? false)
      s.propagation = m.bindOptions?.propagation.flatMap { $0.isEmpty ? nil : $0 }
      s.nonRecursive = m.bindOptions?.nonRecursive ?? false
      s.tmpfsSize = m.tmpfsOptions?.sizeBytes
      s.tmpfsMode = m.tmpfsOptions?.mode.map { UInt32(truncatingIfNeeded: $0) }
      return s
    }
    tmpfs = h.tmpfs
    networkMode = h.networkMode
    portBindings = h.portBindings?.mapValues {
      ($0 ?? []).map { PortBinding(hostIP: $0.hostIp, hostPort: $0.hostPort) }
    }
    publishAllPorts = h.publishAllPorts ?? false
    privileged = h.privileged ?? false
    capAdd = h.capAdd
    capDrop = h.capDrop
    readonlyRootfs = h.readonlyRootfs ?? false
    securityOpt = h.securityOpt
    initProcess = h.initProcess
    ipcMode = h.ipcMode
    pidMode = h.pidMode
    utsMode = h.utsMode
    shmSize = h.shmSize
    cgroupParent = h.cgroupParent.flatMap { $0.isEmpty ? nil : $0 }
    resources.memory = h.memory
    resources.memorySwap = h.memorySwap
    resources.memoryReservation = h.memoryReservation
    resources.memorySwappiness = h.memorySwappiness
    resources.oomKillDisable = h.oomKillDisable
    resources.nanoCpus = h.nanoCpus
    resources.cpuShares = h.cpuShares
    resources.cpuQuota = h.cpuQuota
    resources.cpuPeriod = h.cpuPeriod
    resources.cpusetCpus = h.cpusetCpus
    resources.cpusetMems = h.cpusetMems
    resources.pidsLimit = h.pidsLimit
    resources.blkioWeight = h.blkioWeight.flatMap { UInt16(exactly: $0) }
    resources.ulimits = h.ulimits?.map { Ulimit(name: $0.name, soft: $0.soft, hard: $0.hard) }
    oomScoreAdj = h.oomScoreAdj
    groupAdd = h.groupAdd
    devices = h.devices?.map {
      DeviceMapping(
        pathOnHost: $0.pathOnHost, pathInContainer: $0.pathInContainer, cgroupPermissions: $0.cgroupPermissions)
    }
    dns = h.dns
    dnsSearch = h.dnsSearch
    dnsOptions = h.dnsOptions
    extraHosts = h.extraHosts
    links = h.links.flatMap { $0.isEmpty ? nil : $0 }
    sysctls = h.sysctls
    if let p = h.restartPolicy {
      restartPolicy = RestartPolicy(name: p.name.isEmpty ? "no" : p.name, maximumRetryCount: p.maximumRetryCount ?? 0)
    }
    autoRemove = h.autoRemove ?? false
    volumesFrom = h.volumesFrom.flatMap { $0.isEmpty ? nil : $0 }
    deviceCgroupRules = h.deviceCgroupRules.flatMap { $0.isEmpty ? nil : $0 }
    cgroupnsMode = h.cgroupnsMode.flatMap { $0.isEmpty ? nil : $0 }
  }
}

extension ContainerArea {
  public func createContainer(name: String?, request: ContainerCreateRequest) async throws -> ContainerCreateResponse {
    PhaseTrace.mark("d: create")
    return try await mapErrors {
      var asked = ContainerSettings(request)
      asked.runtime = request.hostConfig?.runtime.flatMap { $0.isEmpty ? nil : $0 } ?? config.runtimes.defaultName
      if let runtime = asked.runtime { try config.runtimes.check(runtime) }
      asked.log = try LogSettings(request.hostConfig?.logConfig)
      asked.endpoints = networkArea.initialEndpoints(asked)
      if let from = asked.volumesFrom { asked.binds = (asked.binds ?? []) + (try volumeArea.bindsFrom(from)) }
      if let mode = asked.cgroupnsMode, mode != "host" && mode != "private" {
        throw DaemonError.invalid("invalid cgroup namespace mode: \(mode)")
      }
      if let driver = request.hostConfig?.volumeDriver, !driver.isEmpty, driver != "local" {
        throw DaemonError.notFound("error looking up volume plugin \(driver): plugin \"\(driver)\" not found")
      }
      let requested = asked
      guard !requested.image.isEmpty else { throw DaemonError.invalid("config.Image must not be empty") }
      let image: Image
      do {
        image = try images.image(requested.image)
      } catch ImageError.notFound {
        let shown = (try? ImageReference(parsing: requested.image).description) ?? requested.image
        throw DaemonError.notFound("No such image: \(shown.replacingDockerIO())")
      }
      if let r = requested.restartPolicy.name as String?,
        !["", "no", "always", "on-failure", "unless-stopped"].contains(r)
      {
        throw DaemonError.invalid("invalid restart policy '\(r)'")
      }
      let host = Self.hostHostname()
      let store = containers
      let imageStore = images
      let volumeStore = volumes
      let bus = eventBus
      let cfg = config
      let network = networkArea
      let record = try await BlockingPool.shared.run {
        try store.create(name: name, persist: !requested.autoRemove) { id, full in
          let settings = SpecBuilder.merged(requested, image: image.config.config, id: id, hostHostname: host)
          try SpecBuilder.validate(settings)
          try network.validate(settings)
          let dir = store.directory(id)
          let bundle = cfg.bundle(id)
          // The writable layer (unpacks the image's layers first if needed).
          _ = try imageStore.prepareContainerSnapshot(
            ContainerArea.snapshotKey(id), image: image, durable: !requested.autoRemove)
          do {
            try VolumeArea.prepareVolumes(volumeStore, bus: bus, id: id, settings: settings)
            try Files.makeDirectories(bundle, mode: 0o711)
            try ContainerArea.writeNetworkFiles(
              dir: bundle, settings: settings, hostname: settings.hostname ?? "",
              more: NetworkFileInputs(defaultDNS: cfg.dnsServers, hostGateway: network.hostGateway))
            var record = ContainerRecord(
              id: id, name: full, created: Timestamps.now(), imageID: image.id.description,
              imageName: requested.image, imageChainID: image.chainID?.description, settings: settings)
            record.logPath = "\(dir)/\(id)-json.log"
            return record
          } catch {
            ContainerArea.removeBundle(bundle)
            try? imageStore.snapshots.remove(ContainerArea.snapshotKey(id))
            throw error
          }
        }
      }
      emit("create", record)
      PhaseTrace.mark("d: created")
      return ContainerCreateResponse(id: record.id, warnings: [])
    }
  }

  static func snapshotKey(_ id: String) -> String { "container-" + id }

  static func hostHostname() -> String {
    var buf = [CChar](repeating: 0, count: 256)
    guard gethostname(&buf, 255) == 0 else { return "" }
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// hostname, hosts and resolv.conf in the container's bundle directory.
  /// hostname, hosts and resolv.conf in the container's bundle directory; `more`: what its
  /// networks add at start.
  static func writeNetworkFiles(
    dir: String, settings: ContainerSettings, hostname: String, more: NetworkFileInputs = NetworkFileInputs()
  ) throws {
    let hostNetwork = settings.networkMode == "host"
    var hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
    if hostNetwork, let text = try? Files.readString("/etc/hosts") {
      hosts = text
    } else if more.addresses.isEmpty {
      hosts += "127.0.1.1\t\(hostname)\n"
    } else {
      for address in more.addresses { hosts += "\(address)\t\(hostname)\n" }
    }
    for entry in more.links { hosts += entry + "\n" }
    for entry in settings.extraHosts ?? [] {
      let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw DaemonError.invalid("invalid add-host: \(entry)") }
      var address = parts[1]
      if address == "host-gateway" {
        // dockerd's: the host as the container reaches it (the default bridge's gateway).
        guard let gateway = more.hostGateway else {
          throw DaemonError.invalid("unable to derive the IP value for host-gateway: no default bridge")
        }
        address = gateway
      }
      hosts += "\(address)\t\(parts[0])\n"
    }
    var resolv = ""
    if more.embeddedResolver {
      // dockerd's: the resolver forwards what it does not know to the upstreams.
      resolv = "nameserver \(ResolverSocket.address)\n"
      let search = (try? Files.readString("/etc/resolv.conf"))?.split(separator: "\n").filter {
        $0.hasPrefix("search ")
      }
      if settings.dnsSearch?.isEmpty ?? true, let line = search?.last { resolv += line + "\n" }
      if settings.dnsOptions?.isEmpty ?? true { resolv += "options ndots:0\n" }
    } else if let dns = [settings.dns ?? [], more.defaultDNS].first(where: { !$0.isEmpty }) {
      resolv = dns.map { "nameserver \($0)\n" }.joined()
    } else if let text = try? Files.readString("/etc/resolv.conf") {
      // A private network namespace cannot reach the host's loopback resolvers.
      resolv =
        text.split(separator: "\n").filter {
          hostNetwork || !($0.hasPrefix("nameserver 127.") || $0.hasPrefix("nameserver ::1"))
        }.joined(separator: "\n") + "\n"
    }
    if let search = settings.dnsSearch, !search.isEmpty { resolv += "search " + search.joined(separator: " ") + "\n" }
    if let opts = settings.dnsOptions, !opts.isEmpty { resolv += "options " + opts.joined(separator: " ") + "\n" }
    // Derived from the record, so not fsynced (dockerd does not either); after a power loss
    // `restoreNetworkFiles` writes them again at the next start.
    try Files.writeAtomically(dir + "/hostname", Array((hostname + "\n").utf8), durable: false)
    try Files.writeAtomically(dir + "/hosts", Array(hosts.utf8), durable: false)
    try Files.writeAtomically(dir + "/resolv.conf", Array(resolv.utf8), durable: false)
  }

  /// Writes the network files again if one is missing, or hostname or hosts is empty (they
  /// never are when written; a power loss soon after create can leave them so).
  static func restoreNetworkFiles(dir: String, settings: ContainerSettings, defaultDNS: [String] = [])
    throws
  {
    let intact =
      Files.exists(dir + "/resolv.conf") && ["hostname", "hosts"].allSatisfy { fileSize(dir + "/" + $0) > 0 }
    if !intact {
      try writeNetworkFiles(
        dir: dir, settings: settings, hostname: settings.hostname ?? "", more: NetworkFileInputs(defaultDNS: defaultDNS)
      )
    }
  }

  /// The size of a file; 0 when it is missing.
  static func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
  }
}

extension String {
  /// "docker.io/library/busybox:latest" → "busybox:latest", as Docker prints names.
  func replacingDockerIO() -> String {
    if hasPrefix("docker.io/library/") { return String(dropFirst("docker.io/library/".count)) }
    if hasPrefix("docker.io/") { return String(dropFirst("docker.io/".count)) }
    return self
  }
}

/// What a container's networks add to its hosts and resolv.conf at start.
struct NetworkFileInputs {
  /// Its own addresses, which name its hostname.
  var addresses: [String] = []
  /// On a user network: resolv.conf names the resolver on 127.0.0.11.
  var embeddedResolver = false
  /// berthd's --dns, the nameservers of containers that set none.
  var defaultDNS: [String] = []
  /// What `--add-host name:host-gateway` means (the default bridge's gateway).
  var hostGateway: String?
  /// Hosts lines of `--link`ed containers.
  var links: [String] = []
}
