// GET /containers/{id}/json: the record in Docker's ContainerInspect shape.
import EngineAPI

extension ContainerArea {
  public func inspectContainer(id ref: String, size: Bool) async throws -> ContainerInspect {
    let r = try record(ref)
    return inspect(r, execIDs: await execArea.execIDs(of: r.id))
  }

  func inspect(_ r: ContainerRecord, execIDs: [String]) -> ContainerInspect {
    let dir = config.bundle(r.id)
    let s = r.settings
    let argv = (s.entrypoint ?? []) + (s.cmd ?? [])
    var out = ContainerInspect(
      id: r.id, created: r.created, path: argv.first ?? "", args: Array(argv.dropFirst()),
      state: Self.apiState(r.state), image: r.imageID, resolvConfPath: dir + "/resolv.conf",
      hostnamePath: dir + "/hostname", hostsPath: dir + "/hosts", logPath: r.logPath, name: r.name,
      restartCount: r.restartCount, driver: "overlay2", platform: "linux",
      execIDs: execIDs.nilIfEmpty, hostConfig: Self.apiHostConfig(s),
      graphDriver: DriverData(name: "overlay2", data: ["MergedDir": Self.rootfs(dir)]),
      mounts: Self.apiMounts(s), config: Self.apiConfig(s, imageName: r.imageName),
      networkSettings: networkArea.networkSettings(r))
    out.sizeRw = nil
    return out
  }

  static func apiState(_ st: ContainerState) -> EngineAPI.ContainerState {
    EngineAPI.ContainerState(
      status: st.status.rawValue, running: st.isRunning, paused: st.status == .paused,
      restarting: st.status == .restarting, oomKilled: st.oomKilled, dead: st.status == .dead,
      pid: Int(st.pid), exitCode: Int(st.exitCode), error: st.error, startedAt: st.startedAt,
      finishedAt: st.finishedAt,
      health: st.health.map { h in
        Health(
          status: h.status, failingStreak: h.failingStreak,
          log: h.log.map { HealthcheckResult(start: $0.start, end: $0.end, exitCode: $0.exitCode, output: $0.output) })
      })
  }

  static func apiConfig(_ s: ContainerSettings, imageName: String) -> ContainerConfig {
    var c = ContainerConfig()
    c.hostname = s.hostname ?? ""
    c.domainname = s.domainname ?? ""
    c.user = s.user ?? ""
    c.attachStdin = s.attachStdin
    c.attachStdout = s.attachStdout
    c.attachStderr = s.attachStderr
    c.exposedPorts = s.exposedPorts.map { Dictionary(uniqueKeysWithValues: $0.map { ($0, EmptyObject()) }) }
    c.tty = s.tty
    c.openStdin = s.openStdin
    c.stdinOnce = s.stdinOnce
    c.env = s.env ?? []
    c.cmd = s.cmd
    if let h = s.healthcheck {
      c.healthcheck = HealthConfig(
        test: h.test, interval: h.interval, timeout: h.timeout, retries: h.retries, startPeriod: h.startPeriod,
        startInterval: h.startInterval)
    }
    c.argsEscaped = s.argsEscaped
    c.image = imageName
    c.volumes = s.volumes.map { Dictionary(uniqueKeysWithValues: $0.map { ($0, EmptyObject()) }) }
    c.workingDir = s.workingDir ?? ""
    c.entrypoint = s.entrypoint
    c.labels = s.labels ?? [:]
    c.stopSignal = s.stopSignal
    c.stopTimeout = s.stopTimeout
    return c
  }

  static func apiHostConfig(_ s: ContainerSettings) -> HostConfig {
    var h = HostConfig()
    let res = s.resources
    h.binds = s.binds
    let log = s.log ?? .jsonFile
    h.logConfig = LogConfig(type: log.driver, config: log.options)
    h.networkMode = s.networkMode ?? "default"
    h.portBindings = (s.portBindings ?? [:]).mapValues {
      Optional($0.map { EngineAPI.PortBinding(hostIp: $0.hostIP ?? "", hostPort: $0.hostPort ?? "") })
    }
    h.restartPolicy = EngineAPI.RestartPolicy(
      name: s.restartPolicy.name, maximumRetryCount: s.restartPolicy.maximumRetryCount)
    h.autoRemove = s.autoRemove
    h.consoleSize = s.consoleSize ?? [0, 0]
    h.mounts = s.mounts?.map { m in
      var api = Mount()
      api.type = m.type
      api.source = m.source
      api.target = m.target
      api.readOnly = m.readOnly
      return api
    }
    h.capAdd = s.capAdd
    h.capDrop = s.capDrop
    h.cgroupParent = s.cgroupParent ?? ""
    h.dns = s.dns ?? []
    h.dnsOptions = s.dnsOptions ?? []
    h.dnsSearch = s.dnsSearch ?? []
    h.extraHosts = s.extraHosts
    h.groupAdd = s.groupAdd
    h.ipcMode = s.ipcMode ?? "private"
    h.oomScoreAdj = s.oomScoreAdj ?? 0
    h.pidMode = s.pidMode ?? ""
    h.privileged = s.privileged
    h.publishAllPorts = s.publishAllPorts
    h.readonlyRootfs = s.readonlyRootfs
    h.securityOpt = s.securityOpt
    h.tmpfs = s.tmpfs
    h.utsMode = s.utsMode ?? ""
    h.shmSize = s.shmSize ?? 64 * 1024 * 1024
    h.sysctls = s.sysctls
    h.runtime = s.runtime ?? RuntimeRegistry.berth
    h.volumeDriver = ""
    h.volumesFrom = s.volumesFrom
    h.isolation = ""
    h.deviceCgroupRules = s.deviceCgroupRules
    h.cgroupnsMode = s.cgroupnsMode ?? (HostInfo.isCgroupV2 ? "private" : "host")
    h.initProcess = s.initProcess
    h.memory = res.memory ?? 0
    h.memorySwap = res.memorySwap ?? 0
    h.memoryReservation = res.memoryReservation ?? 0
    h.memorySwappiness = res.memorySwappiness
    h.oomKillDisable = res.oomKillDisable ?? false
    h.nanoCpus = res.nanoCpus ?? 0
    h.cpuShares = res.cpuShares ?? 0
    h.cpuQuota = res.cpuQuota ?? 0
    h.cpuPeriod = res.cpuPeriod ?? 0
    h.cpusetCpus = res.cpusetCpus ?? ""
    h.cpusetMems = res.cpusetMems ?? ""
    h.pidsLimit = res.pidsLimit
    h.blkioWeight = res.blkioWeight.map(Int.init) ?? 0
    h.ulimits = res.ulimits?.map { EngineAPI.Ulimit(name: $0.name, soft: $0.soft, hard: $0.hard) }
    h.devices = (s.devices ?? []).map {
      EngineAPI.DeviceMapping(
        pathOnHost: $0.pathOnHost, pathInContainer: $0.pathInContainer, cgroupPermissions: $0.cgroupPermissions)
    }
    h.maskedPaths = s.privileged ? nil : SpecBuilder.maskedPaths
    h.readonlyPaths = s.privileged ? nil : SpecBuilder.readonlyPaths
    return h
  }

  /// Binds and --mount entries as inspect's Mounts.
  static func apiMounts(_ s: ContainerSettings) -> [MountPoint] {
    var out: [MountPoint] = []
    for b in s.binds ?? [] {
      guard let spec = try? BindSpec(parsing: b) else { continue }
      switch spec.source {
      case .hostPath(let p):
        out.append(
          MountPoint(
            type: "bind", source: p, destination: spec.destination, mode: spec.readOnly ? "ro" : "",
            rw: !spec.readOnly, propagation: spec.propagation))
      case .namedVolume(let name):
        out.append(
          MountPoint(
            type: "volume", name: name, source: "", destination: spec.destination, driver: "local", mode: "z",
            rw: !spec.readOnly, propagation: ""))
      case .anonymous:
        out.append(
          MountPoint(
            type: "volume", source: "", destination: spec.destination, driver: "local", mode: "", rw: !spec.readOnly,
            propagation: ""))
      }
    }
    for m in s.mounts ?? [] {
      out.append(
        MountPoint(
          type: m.type, name: m.type == "volume" ? m.source : nil, source: m.type == "bind" ? (m.source ?? "") : "",
          destination: m.target, driver: m.type == "volume" ? "local" : nil, mode: "", rw: !m.readOnly,
          propagation: m.type == "bind" ? (m.propagation ?? "rprivate") : ""))
    }
    return out
  }
}

extension Array {
  var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
