// berthd's start-up: flags, directories, binaries, the engine, signals.
import CBerth
import LinuxOS
import Registry

#if canImport(Glibc)
  import Glibc
#endif

public enum DaemonMain {
  /// Finds a sibling binary next to berthd, else in PATH.
  static func locate(_ name: String) -> String? {
    if let me = SelfExecutable.path() {
      let candidate = Files.parent(of: me) + "/" + name
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return locatePath(name)
  }

  /// Finds a binary in PATH.
  static func locatePath(_ name: String) -> String? {
    for dir in (getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin").split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }

  /// The soft RLIMIT_NOFILE up to the hard one (as Go programs such as dockerd do): every
  /// published port is a socket berthd holds until the shim has it, and systemd's default
  /// soft limit of 1024 would refuse `-p 20000-20999:20000-20999`.
  static func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    do {
      try ProcessAttributes.setRlimit(
        resource: Int32(RLIMIT_NOFILE.rawValue), soft: UInt64(limit.rlim_max), hard: UInt64(limit.rlim_max))
    } catch {
      DaemonLog.engine.warning("raising the open file limit to \(limit.rlim_max) failed: \(error)")
    }
  }

  /// Starts the engine, calls `serve` (which returns a stop function), and runs until
  /// SIGTERM/SIGINT. Containers keep running (live restore).
  public static func run(
    _ options: DaemonOptions, serve: (Engine) async throws -> @Sendable () async -> Void
  ) async -> Int32 {
    // A signal mask inherited from whoever started berthd (a parent thread that blocked
    // SIGTERM) would make it deaf to SIGTERM: start from none blocked, before any thread.
    _ = berth_block_all_signals(0)
    // A client or a pipe that goes away must be an EPIPE, never a dead daemon.
    signal(SIGPIPE, SIG_IGN)
    DaemonLog.bootstrap(level: options.logLevel, format: options.logFormat)
    raiseOpenFileLimit()
    HeapTrimmer.start()
    guard let runtime = locate("berth-runtime"), let shim = locate("berth-shim") else {
      DaemonLog.engine.error("berth-runtime and berth-shim must be next to berthd or in PATH")
      return 1
    }
    do {
      let shutdown = try SignalPipe(catching: [SIGTERM, SIGINT])
      var config = EngineConfig(
        dataRoot: options.dataRoot, execRoot: options.execRoot, runtimeBinary: runtime, shimBinary: shim)
      config.cgroupParent = options.cgroupParent
      // As dockerd, which always has runc: registered when a runc binary is on PATH.
      config.runtimes = try RuntimeRegistry(
        berthRuntime: runtime, added: options.addedRuntimes, runcOnPath: locatePath("runc"),
        defaultName: options.defaultRuntime, execRoot: options.execRoot)
      // Optional: only `--init` containers need it, and they fail with a clear error without it.
      config.initBinary = options.initPath ?? locate("berth-init")
      config.defaultInit = options.defaultInit
      config.dnsServers = options.dnsServers
      config.addressPools = options.addressPools
      if options.bridge != "none" { config.defaultBridge = DefaultBridgeSettings(bip: options.bip, mtu: options.mtu) }
      config.registryTransport = TransportPolicy(
        insecureRegistries: options.insecureRegistries, mirrors: options.registryMirrors)
      let engine = try Engine(config: config)
      await engine.restore()
      let stop = try await serve(engine)
      let sig = await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
        DedicatedThread.detach { c.resume(returning: shutdown.next()) }
      }
      DaemonLog.engine.info("received signal \(sig), shutting down (containers keep running)")
      await stop()
      return 0
    } catch {
      DaemonLog.engine.error("\(error)")
      return 1
    }
  }
}
