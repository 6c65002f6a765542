import CBerth
import JSONCoding
import Glibc
import LinuxOS
import OCI

/// `berth-runtime init`: a freshly exec'd, single-threaded process (no Dispatch, no
/// tasks) that does all namespace and mount work. Stage 1 joins or creates the
/// namespaces and forks; its child, stage 2, becomes the container process.
public enum InitProcess {
  public static let syncFDVariable = "_BERTH_SYNC_FD"

  public static func main() -> Never {
    guard let text = getenv(syncFDVariable), let fd = Int32(String(cString: text)) else {
      printError("berth-runtime init: must be started by berth-runtime, not by hand")
      exit(1)
    }
    let channel = SyncChannel(fd: fd)
    do {
      let config = try channel.receiveConfig()
      PhaseTrace.mark("init: config received")
      try stageOne(config, channel)
    } catch {
      try? channel.send(SyncMessage(.failure, message: "\(error)"))
      exit(1)
    }
  }

  /// Joins and creates namespaces, then forks the container process.
  static func stageOne(_ config: InitConfig, _ channel: SyncChannel) throws -> Never {
    // While the parent makes the cgroup (`EarlyNamespaces`).
    let early = EarlyNamespaces.flags(newNamespaceFlags: config.newNamespaceFlags, userNamespace: config.userNamespace)
    if early != 0 { try Namespaces.unshare(early) }
    // Opened as host root in the host's mount namespace, before anything below changes that.
    // The container process enters its cgroup itself (`CgroupSelfPlacement`); for create
    // the parent makes the cgroup while this process starts, and says when it exists.
    if config.mode == .create { _ = try channel.expect(.cgroupReady) }
    let selfPlacement = try CgroupSelfPlacement(config.cgroup)
    // Open every namespace first: joining the mount namespace changes what paths mean.
    var joins: [(NamespaceKind, Int32)] = []
    for ns in config.joinNamespaces {
      guard let kind = NamespaceKind(rawValue: ns.type), let path = ns.path else { continue }
      joins.append((kind, try FD.open(path, O_RDONLY)))
    }
    // The container process joins the cgroup namespace only once it is in its cgroup:
    // from inside that namespace its old cgroup is out of reach of CLONE_INTO_CGROUP.
    var cgroupNamespaceToJoin: Int32?
    for (kind, fd) in joins.sorted(by: { joinOrder($0.0) < joinOrder($1.0) }) {
      if kind == .cgroup {
        cgroupNamespaceToJoin = fd
        continue
      }
      try sys("setns", kind.rawValue) { berth_setns(fd, kind.cloneFlag) }
      FD.close(fd)
    }
    if config.userNamespace == .create {
      try Namespaces.unshare(NamespaceKind.user.cloneFlag)
      try channel.send(SyncMessage(.writeIDMaps, pid: getpid()))
      _ = try channel.expect(.done)
    }
    if config.userNamespace != .none {
      // Become root of the user namespace so the namespaces made next are fully ours.
      try sys("setresgid") { berth_setresgid(0, 0, 0) }
      try sys("setresuid") { berth_setresuid(0, 0, 0) }
    }
    // The cgroup namespace waits until the container process is in its cgroup (stage 2).
    var flags = config.newNamespaceFlags & ~NamespaceKind.user.cloneFlag & ~NamespaceKind.cgroup.cloneFlag & ~early
    // The fork makes the pid namespace (`CgroupSelfPlacement.fork`).
    let newPIDNamespace = flags & NamespaceKind.pid.cloneFlag != 0
    if newPIDNamespace { flags &= ~NamespaceKind.pid.cloneFlag }
    if flags != 0 { try Namespaces.unshare(flags) }
    // A network namespace made here has only `lo`, down; runc brings it up (a joined
    // one is its maker's to set up).
    if config.newNamespaceFlags & NamespaceKind.network.cloneFlag != 0 { try NetworkLinks.bringUp("lo") }
    PhaseTrace.mark("init: namespaces made")
    let child = try selfPlacement.fork(newPIDNamespace: newPIDNamespace)
    if child == 0 {
      do {
        try selfPlacement.enter()
        if let fd = cgroupNamespaceToJoin {
          try sys("setns", "cgroup") { berth_setns(fd, NamespaceKind.cgroup.cloneFlag) }
          FD.close(fd)
        }
        try channel.send(SyncMessage(.selfPlaced))
        try stageTwo(config, channel)
      } catch {
        // After `ready` nobody reads the channel any more: the container's stderr is
        // then the only place the error can still reach.
        if (try? channel.send(SyncMessage(.failure, message: "\(error)"))) == nil {
          printError("berth-runtime init: \(error)")
        }
        exit(1)
      }
    }
    selfPlacement.close()
    if let fd = cgroupNamespaceToJoin { FD.close(fd) }
    try channel.send(SyncMessage(.childPID, pid: child))
    exit(0)
  }

  /// The user namespace first (it grants the rights to join the others), the mount
  /// namespace last (it changes the root).
  static func joinOrder(_ kind: NamespaceKind) -> Int {
    switch kind {
    case .user: 0
    case .mount: 9
    default: 5
    }
  }

  /// Sets up the container process and execs the user's program.
  static func stageTwo(_ config: InitConfig, _ channel: SyncChannel) throws -> Never {
    // A closed channel must give EPIPE, not kill us; restored before execve.
    signal(SIGPIPE, SIG_IGN)
    var hookState = config.hookState
    if config.waitsForProceed { hookState.pid = try channel.expect(.proceed).pid ?? 0 }
    PhaseTrace.mark("init: proceed")
    let process = config.process
    _ = umask(0)
    _ = setsid()

    let placement = PlacementGate(
      newCgroupNamespace: config.newNamespaceFlags & NamespaceKind.cgroup.cloneFlag != 0)
    if config.mode == .create {
      let rootfs = RootfsSetup(config: config, hookState: hookState, placement: placement)
      // Sets the hostname and sysctls too: they must be written before /proc/sys is
      // made read-only (readonlyPaths), as runc does.
      try rootfs.prepare()
    }
    PhaseTrace.mark("init: rootfs ready")
    if let profile = process.apparmorProfile, !profile.isEmpty { try AppArmor.confineOnExec(to: profile) }
    try placement.pass()
    PhaseTrace.mark("init: placed")
    if process.terminal == true {
      guard config.hasConsoleSocket else {
        throw RuntimeError("process.terminal is set but no console socket was given")
      }
      try Console.attach(socket: config.consoleFD, size: process.consoleSize)
    }
    if let adj = process.oomScoreAdj { try ProcessAttributes.setOOMScoreAdj(adj) }
    for limit in process.rlimits ?? [] {
      guard let resource = ProcessAttributes.rlimitResource(named: limit.type) else {
        throw RuntimeError("unknown rlimit type \(limit.type)")
      }
      try ProcessAttributes.setRlimit(resource: resource, soft: limit.soft, hard: limit.hard)
    }
    let environment = process.env ?? []
    guard let arguments = process.args, let program = arguments.first else {
      throw RuntimeError("args must not be empty")
    }
    // In the working directory first: a relative program (`CMD ["./app"]`) is found there, as runc finds it.
    try WorkingDirectory.enter(process.cwd)
    let executable = try ExecutableLookup.find(program, environment: environment)
    try closeInheritedFDs(keepingThrough: 2 + Int32(config.preservedFDs), config: config)

    let seccomp = try config.seccompProgram ?? config.spec.linux?.seccomp.map { try SeccompLoader.build($0) }
    let noNewPrivileges = process.noNewPrivileges == true
    // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it before dropping caps.
    if !noNewPrivileges, let seccomp { try seccomp.load() }
    try Privileges.drop(to: process)
    if noNewPrivileges { try ProcessAttributes.setNoNewPrivileges() }
    _ = umask(mode_t(process.user.umask ?? 0o022))

    try channel.send(SyncMessage(.ready))
    PhaseTrace.mark("init: ready sent")
    if config.mode == .create {
      try waitForStart(fifoFD: config.fifoFD)
      try HookRunner.run(config.spec.hooks?.startContainer ?? [], phase: "startContainer", state: hookState)
    }
    FD.close(channel.fd)
    if noNewPrivileges, let seccomp { try seccomp.load() }
    try ExecutableLookup.exec(executable, arguments: arguments, environment: environment)
  }

  /// Blocks until `start` opens the exec fifo for reading.
  static func waitForStart(fifoFD: Int32) throws {
    let fd = try FD.open("/proc/self/fd/\(fifoFD)", O_WRONLY)
    try FD.write(fd, [0])
    FD.close(fd)
    FD.close(fifoFD)
  }

  /// No host fd may survive into the container (CVE-2024-21626 class): everything
  /// above stdio and the preserved fds is closed now, except the handshake fds,
  /// which are close-on-exec and go with the exec.
  static func closeInheritedFDs(keepingThrough last: Int32, config: InitConfig) throws {
    let keep: Set<Int32> = [config.syncFD, config.fifoFD]
    for name in (try? Files.list("/proc/self/fd")) ?? [] {
      guard let fd = Int32(name), fd > last, !keep.contains(fd) else { continue }
      _ = Glibc.close(fd)
    }
    for fd in keep { try? FD.setCloseOnExec(fd, true) }
    if last >= 3 {
      for fd in 3...last { try? FD.setCloseOnExec(fd, false) }
    }
  }
}
