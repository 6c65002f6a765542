import Cgroups
import JSONCoding
import Glibc
import LinuxOS
import OCI

/// The runtime's operations, as `berth-runtime`'s verbs call them.
public struct Runtime: Sendable {
  public let store: StateStore

  public init(root: String) {
    store = StateStore(root: root)
  }

  public struct CreateOptions: Sendable {
    public var bundle: String
    public var consoleSocket: String?
    public var pidFile: String?
    public var preserveFDs: Int = 0
    public init(bundle: String) { self.bundle = bundle }
  }

  /// A created container: its init waits on the exec fifo until `start`.
  public struct Created {
    public let record: ContainerRecord
  }

  /// The bundle's config.json, for callers that need it before `create` (which then
  /// takes it instead of reading and decoding it again).
  public static func loadSpec(bundle: String) throws -> Spec {
    try BundlePath.loadSpec(bundle: BundlePath.absolute(bundle))
  }

  public func create(
    id: String, options: CreateOptions, consoleSocketFD: Int32? = nil, spec loadedSpec: Spec? = nil
  ) throws -> Created {
    try ContainerID.validate(id)
    let bundle = BundlePath.absolute(options.bundle)
    let spec = try loadedSpec ?? BundlePath.loadSpec(bundle: bundle)
    guard let process = spec.process else { throw RuntimeError("config.json has no process to run") }
    guard let rootPath = spec.root?.path else { throw RuntimeError("config.json has no root.path") }
    let rootfs = BundlePath.realPath(rootPath.hasPrefix("/") ? rootPath : "\(bundle)/\(rootPath)")
    guard Files.isDirectory(rootfs) else { throw RuntimeError("rootfs (\(rootfs)) does not exist") }
    let plan = try NamespacePlan(spec.linux?.namespaces ?? [])
    try SpecValidation.validate(spec)
    PhaseTrace.mark("spec loaded")

    try Files.makeDirectories(store.root, mode: 0o711)
    guard mkdir(store.directory(id), 0o711) == 0 else {
      if errno == EEXIST { throw RuntimeError("container with id exists: \(id)") }
      throw SystemError("mkdir", errno: errno, store.directory(id))
    }
    var cgroup: (any CgroupManager)?
    var launchedPID: Int32?
    do {
      let fifo = store.fifoPath(id)
      try sys("mkfifo", fifo) { mkfifo(fifo, 0o622) }
      // mkfifo honours the umask (0622 & ~022 = 0600); init may already run as a
      // non-root user when it reopens the fifo, so set the mode explicitly, as runc does.
      try sys("chmod", fifo) { chmod(fifo, 0o622) }
      let fifoFD = try FD.open(fifo, O_PATH)
      defer { FD.close(fifoFD) }

      let created = Timestamps.rfc3339Nano()
      var hookState = ContainerState(
        ociVersion: spec.ociVersion, id: id, pid: 0, status: "creating", bundle: bundle, rootfs: rootfs,
        created: created, owner: "", annotations: spec.annotations)
      let consoleFD = try consoleSocketFD ?? options.consoleSocket.map { try ConsoleSocket.connect($0) }
      defer { if consoleSocketFD == nil, let consoleFD { FD.close(consoleFD) } }
      let resources = DeviceNodes.withDefaultRules(spec.linux?.resources, devices: spec.linux?.devices ?? [])
      // The cgroup is found, the seccomp program looked up and the config built while
      // init starts.
      let started = try Launcher.launch(
        preservedFDs: options.preserveFDs, emptyLayer: store.emptyLayer, fifoFD: fifoFD, consoleSocketFD: consoleFD,
        makeConfig: {
          // One read of mountinfo serves the placement and the init's /sys/fs/cgroup mount.
          let mountInfo = try Files.readString("/proc/self/mountinfo")
          let manager = Cgroups.manager(
            placement: try Cgroups.placement(
              cgroupsPath: spec.linux?.cgroupsPath, containerID: id, mountInfo: mountInfo,
              procCgroup: try Files.readString("/proc/self/cgroup")))
          cgroup = manager
          let (initSpec, seccomp) = try InitConfig.splittingSeccomp(
            from: spec, cache: SeccompProgramCache(root: store.root))
          return InitConfig(
            mode: .create, id: id, bundle: bundle, rootfs: rootfs, spec: initSpec, process: process,
            cgroup: manager.placement, hasConsoleSocket: consoleFD != nil, preservedFDs: options.preserveFDs,
            joinNamespaces: plan.joins, newNamespaceFlags: plan.newFlags, userNamespace: plan.user,
            hookState: hookState, cgroupMountPoints: CgroupMounts.cgroupMountPoints(mountInfo: mountInfo),
            seccompProgram: seccomp)
        }
      ) {
        try cgroup?.create()
        // Device rules go in before the init may run: v1 writes them as deny-all, then
        // each allow, and the init's mknod of /dev/null in between failed with EPERM
        // (about one start in a hundred).
        var deviceRules = Resources()
        deviceRules.devices = resources.devices
        try cgroup?.apply(deviceRules)
      } whileInitForks: {
        // The other limits apply once the cgroup exists, before the container's program
        // can run (as runc, which sets them even later): the init need not wait for them.
        var limits = resources
        limits.devices = nil
        try cgroup?.apply(limits)
      }
      guard let manager = cgroup else { throw RuntimeError("container init started without a cgroup") }
      launchedPID = started.pid
      PhaseTrace.mark("container process forked")
      defer { FD.close(started.channel.fd) }
      hookState.pid = started.pid
      let record = ContainerRecord(
        id: id, bundle: bundle, rootfs: rootfs, pid: started.pid,
        pidStartTime: Processes.startTime(started.pid) ?? 0, created: created, owner: "", spec: spec,
        cgroup: manager.placement)
      let runtimeHooks = (spec.hooks?.prestart ?? []) + (spec.hooks?.createRuntime ?? [])
      if runtimeHooks.isEmpty {
        // Placement and the state write overlap the container process building its rootfs.
        try started.proceedAndPlace()
        try store.save(record)
        PhaseTrace.mark("state saved")
      } else {
        // Hooks see a container in its cgroup, and may ask the runtime for its state.
        try started.ensurePlaced()
        try store.save(record)
        try HookRunner.run(runtimeHooks, phase: "createRuntime", state: hookState)
        try started.proceedAndPlace(alreadyPlaced: true)
      }
      try started.expectReady()
      PhaseTrace.mark("ready")
      if let pidFile = options.pidFile { try PidFile.write(pidFile, pid: started.pid) }
      return Created(record: record)
    } catch {
      if let launchedPID { Glibc.kill(launchedPID, SIGKILL) }
      if let cgroup {
        for pid in (try? cgroup.processes()) ?? [] { Glibc.kill(pid, SIGKILL) }
        Self.destroyCgroup(cgroup)
      }
      try? store.remove(id)
      throw error
    }
  }

  /// Lets a created container's process exec the user's program.
  public func start(id: String, record knownRecord: ContainerRecord? = nil) throws {
    let record = try knownRecord ?? store.load(id)
    let status = store.status(of: record)
    guard status == "created" else {
      throw RuntimeError("cannot start a container that has \(status == "stopped" ? "stopped" : "already started")")
    }
    do {
      try ExecFifo.release(store.fifoPath(id), initPID: record.pid)
    } catch let error as ExecFifoError {
      throw RuntimeError("\(error)")
    }
    PhaseTrace.mark("started")
    var state = store.state(of: record)
    state.status = "running"
    do {
      try HookRunner.run(record.spec.hooks?.poststart ?? [], phase: "poststart", state: state)
    } catch {
      RuntimeLog.shared.warning("\(error)")
    }
  }

  public func state(id: String) throws -> ContainerState {
    store.state(of: try store.load(id))
  }

  public func list() -> [ContainerState] {
    store.ids().compactMap { try? state(id: $0) }
  }

  /// Sends a signal to the container's init, or with `all` to every process in its cgroup.
  public func kill(id: String, signal: Int32, all: Bool = false) throws {
    let record = try store.load(id)
    let status = store.status(of: record)
    if all {
      let manager = Cgroups.manager(placement: record.cgroup)
      let pids = (try? manager.processes()) ?? []
      if status == "stopped" && pids.isEmpty { throw RuntimeError("container not running") }
      // A frozen cgroup would keep the signal pending; thaw it after signalling.
      for pid in pids { Glibc.kill(pid, signal) }
      if status == "paused" { try? manager.thaw() }
      return
    }
    guard status != "stopped" else { throw RuntimeError("container not running") }
    let pidfd = try sys("pidfd_open", "\(record.pid)") { berth_pidfd_open_checked(record.pid) }
    defer { FD.close(pidfd) }
    // The start time check before pidfd_open rules out a reused pid.
    guard Processes.startTime(record.pid) == record.pidStartTime else { throw RuntimeError("container not running") }
    try sys("pidfd_send_signal", "\(signal)") { berth_pidfd_send_signal_checked(pidfd, signal) }
  }

  /// `record`: the container's state when the caller has it already (`run` made it), so
  /// it is not read and decoded again.
  public func delete(id: String, force: Bool, record knownRecord: ContainerRecord? = nil) throws {
    let record: ContainerRecord
    do {
      record = try knownRecord ?? store.load(id)
    } catch {
      if force, (try? ContainerID.validate(id)) != nil {
        try? store.remove(id)
        return
      }
      throw error
    }
    PhaseTrace.mark("delete: state loaded")
    let status = store.status(of: record)
    let manager = Cgroups.manager(placement: record.cgroup)
    switch status {
    case "stopped":
      break
    case "created":
      // Never started: kill it, as runc does, without needing force.
      killAndWait(record: record, manager: manager)
    default:
      guard force else { throw RuntimeError("cannot delete container \(id) that is not stopped: \(status)") }
      killAndWait(record: record, manager: manager)
    }
    // Processes left behind by an init that exited (no pid namespace) die with it.
    if !((try? manager.processes()) ?? []).isEmpty { killAndWait(record: record, manager: manager) }
    PhaseTrace.mark("delete: checked")
    Self.destroyCgroup(manager)
    PhaseTrace.mark("delete: cgroup destroyed")
    var state = store.state(of: record)
    state.status = "stopped"
    do {
      try HookRunner.run(record.spec.hooks?.poststop ?? [], phase: "poststop", state: state)
    } catch {
      RuntimeLog.shared.warning("\(error)")
    }
    try store.remove(id)
  }

  func killAndWait(record: ContainerRecord, manager: any CgroupManager) {
    if Processes.startTime(record.pid) == record.pidStartTime { Glibc.kill(record.pid, SIGKILL) }
    for pid in (try? manager.processes()) ?? [] { Glibc.kill(pid, SIGKILL) }
    if (try? manager.isFrozen()) == true { try? manager.thaw() }
    let deadline = Monotonic.now() + 5_000_000_000
    while Monotonic.now() < deadline {
      let alive = ((try? manager.processes()) ?? []).contains { Processes.stateLetter($0) != "Z" }
      let initAlive = Processes.startTime(record.pid) == record.pidStartTime && Processes.stateLetter(record.pid) != "Z"
      if !alive && !initAlive { return }
      usleep(2_000)
    }
  }

  static func destroyCgroup(_ manager: any CgroupManager) {
    do {
      try manager.destroy()
    } catch {
      RuntimeLog.shared.warning("removing cgroup: \(error)")
    }
  }

  public func pause(id: String) throws {
    let record = try store.load(id)
    guard store.status(of: record) == "running" else { throw RuntimeError("container not running") }
    try Cgroups.manager(placement: record.cgroup).freeze()
  }

  public func resume(id: String) throws {
    let record = try store.load(id)
    guard store.status(of: record) == "paused" else { throw RuntimeError("container not paused") }
    try Cgroups.manager(placement: record.cgroup).thaw()
  }

  /// Changes resources live and keeps the record's spec in step.
  public func update(id: String, resources: Resources) throws {
    var record = try store.load(id)
    guard store.status(of: record) != "stopped" else { throw RuntimeError("container not running") }
    try Cgroups.manager(placement: record.cgroup).apply(resources)
    var linux = record.spec.linux ?? Linux()
    linux.resources = ResourceMerge.merge(linux.resources, resources)
    record.spec.linux = linux
    try store.save(record)
  }

  public func processes(id: String) throws -> [Int32] {
    let record = try store.load(id)
    return try Cgroups.manager(placement: record.cgroup).processes()
  }

  public func stats(id: String) throws -> CgroupStats {
    let record = try store.load(id)
    return try Cgroups.manager(placement: record.cgroup).stats()
  }
}
