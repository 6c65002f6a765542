// Start, exit monitoring, wait, kill/stop and remove.
//
// The rootfs is mounted at start (<dir>/rootfs) and unmounted when the container exits, as
// Docker does: a created or exited container holds no mount.
import EngineAPI
import FoundationEssentials
import LinuxOS
import OCI
import Shim
import Snapshots

#if canImport(Glibc)
  import Glibc
#endif

extension ContainerArea {
  static func rootfs(_ dir: String) -> String { dir + "/rootfs" }

  public func startContainer(id ref: String) async throws {
    let id = try record(ref).id
    do {
      // A second start queues behind the first and then finds it running (304).
      try await transition(id) { try await startContainerProcess(id) }
    } catch {
      // As dockerd: a container that fails to start keeps the error in its state, and
      // one created with --rm (AutoRemove) is removed, so `run --rm` leaves nothing.
      if let record = try? record(ref), !record.state.isRunning {
        try? containers.update(record.id) {
          $0.state.error = "\(error)"
          $0.state.exitCode = Self.startFailureExitCode("\(error)")
        }
        if record.settings.autoRemove {
          try? await removeContainer(id: record.id, options: ContainerRemoveOptions(force: true))
        }
      }
      throw error
    }
  }

  /// The exit code dockerd records for a start failure: 127 not found, 126 not executable.
  static func startFailureExitCode(_ message: String) -> Int32 {
    if message.contains("executable file not found") || message.contains("no such file or directory") { return 127 }
    if message.contains("permission denied") || message.contains("is a directory") { return 126 }
    return 128
  }

  private func startContainerProcess(_ ref: String) async throws {
    PhaseTrace.mark("d: start")
    try await mapErrors {
      let record = try record(ref)
      if record.state.isRunning { throw EngineError.notModified("container already started") }
      // The runtime's container of the last run must be gone before it is created again.
      await finishRuntimeDeletion(record.id)
      let dir = config.bundle(record.id)
      let settings = record.settings
      let network = networkArea
      // The namespace and endpoints first: the spec names the namespace, the hosts file
      // the addresses, and the shim takes the sockets holding the published ports.
      let networking = try await BlockingPool.shared.run {
        try network.connectAtStart(record.id, settings: settings)
      }
      var spec = specContext(record)
      spec.networkNamespacePath = networking?.netnsPath
      let ctx = spec
      let cfg = config
      let imageStore = images
      let runtime = try runtime(for: record)
      let log = record.settings.log ?? .jsonFile
      let rotation = try log.rotation()
      // Rootfs, spec and shim launch (the runtime's create) off the actor. The rootfs is
      // mounted on a thread of its own while the shim is spawned (overlayfs makes its work
      // directories on the disk, the longer of the two), and the shim's start-up overlaps
      // the rest of the bundle.
      let launched = await BlockingPool.shared.run { () -> Result<ShimProcess, any Error> in
        Result { () throws -> ShimProcess in
          // The shim holds the port reservations from its spawn on; a failed start drops them.
          defer { networking?.closeHeldFDs() }
          let rootfs = ContainerArea.rootfs(dir)
          let stateDir = cfg.shimState(record.id)
          let mounting = JoinableThread {
            // The bundle directory is gone after a reboot (the exec root is a tmpfs).
            try Files.makeDirectories(dir, mode: 0o711)
            if let networking {
              let addresses = networking.endpoints.compactMap { $0.ipv4.map { "\($0.address)" } }
              try ContainerArea.writeNetworkFiles(
                dir: dir, settings: settings, hostname: settings.hostname ?? "",
                more: NetworkFileInputs(
                  addresses: addresses, embeddedResolver: networking.resolverFD != nil, defaultDNS: cfg.dnsServers,
                  hostGateway: networking.hostGateway, links: networking.links))
            } else {
              try ContainerArea.restoreNetworkFiles(dir: dir, settings: settings, defaultDNS: cfg.dnsServers)
            }
            try Files.makeDirectories(rootfs, mode: 0o755)
            let mounts = try imageStore.snapshots.mounts(ContainerArea.snapshotKey(record.id))
            try mounts.mount(at: rootfs, volatile: settings.autoRemove)
          }
          let shim: PendingShim
          do {
            try? Files.removeTree(stateDir)
            shim = try ShimClient.spawn(
              ShimConfig(
                id: record.id, bundle: dir, runtime: runtime.binary, runtimeRoot: runtime.root,
                stateDir: stateDir, logPath: log.isReadable ? record.logPath : nil, terminal: settings.tty,
                openStdin: settings.openStdin, stdinOnce: settings.stdinOnce, logMaxSize: rotation.maxSize,
                logMaxFiles: rotation.maxFiles,
                // berthd's specs have no poststart hooks (checked below), so opening the exec
                // fifo is all a start takes.
                execFifo: ExecFifo.path(runtimeRoot: runtime.root, id: record.id),
                createHandshake: runtime.inProcess,
                dns: networking?.resolverFD.map { _ in ShimDNS(fd: 5, table: network.dnsTablePath(record.id)) }),
              shimBinary: cfg.shimBinary, heldFDs: networking?.heldFDs ?? [])
          } catch {
            if (try? mounting.join()) != nil { try? SnapshotMount.unmount(rootfs, detach: true) }
            throw error
          }
          PhaseTrace.mark("d: shim spawned")
          var mounted = false
          do {
            try mounting.join()
            mounted = true
            PhaseTrace.mark("d: rootfs mounted")
            var spec = try SpecBuilder.build(settings, context: ctx)
            PhaseTrace.mark("d: spec built")
            guard (spec.hooks?.poststart ?? []).isEmpty else {
              throw DaemonError.system(
                "poststart hooks need the runtime's start, and the shim starts through the exec fifo")
            }
            spec.root?.path = rootfs
            if let cwd = spec.process?.cwd, cwd != "/" {
              try? Files.makeDirectories(try RootedPath.resolve(root: rootfs, cwd))
            }
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            // Rewritten at every start and read only by this start's runtime create: no fsync.
            try Files.writeAtomically(dir + "/config.json", Array(try enc.encode(spec)), durable: false)
            PhaseTrace.mark("d: bundle written")
            return try shim.proceed()
          } catch {
            shim.abandon()
            if mounted { try? SnapshotMount.unmount(rootfs, detach: true) }
            throw error
          }
        }
      }
      let process: ShimProcess
      do {
        process = try launched.get()
      } catch {
        if networking != nil { await BlockingPool.shared.run { network.release(record.id) } }
        throw error
      }
      PhaseTrace.mark("d: shim launched (container created)")
      // Attachers waiting for the shim connect before the process runs.
      await letAttachersConnect(record.id)
      PhaseTrace.mark("d: attachers connected")
      let client = shimClient(record.id)
      do {
        try await BlockingPool.shared.run { try client.start() }
        PhaseTrace.mark("d: shim started the container")
      } catch {
        beginRuntimeDeletion(record.id)
        await finishRuntimeDeletion(record.id)
        await cleanupAfterExit(record.id)
        throw DaemonError.system("failed to start container \(record.id): \(error)")
      }
      try containers.update(record.id) {
        $0.state.status = .running
        $0.state.pid = process.initPid
        $0.state.pidStartTime = Processes.startTime(process.initPid)
        $0.state.startedAt = Timestamps.now()
        $0.state.exitCode = 0
        $0.state.error = ""
        $0.state.oomKilled = false
        $0.state.stoppedByUser = false
      }
      monitor(record.id)
      emit("start", record)
      startHealthcheck(record.id)
      PhaseTrace.mark("d: started")
    }
  }

  /// The cgroup the container's cgroup is made under: its own --cgroup-parent, else the daemon's.
  func cgroupParent(of record: ContainerRecord) -> String {
    // Validated at create; a record from before that check falls back to the daemon's parent.
    record.settings.cgroupParent.flatMap { try? SpecBuilder.cgroupParent($0) } ?? config.cgroupParent
  }

  func specContext(_ record: ContainerRecord) -> SpecContext {
    var ctx = SpecContext(
      id: record.id, rootfs: Self.rootfs(config.bundle(record.id)), bundleDirectory: config.bundle(record.id))
    ctx.cgroupParent = cgroupParent(of: record)
    // Docker's default cgroupns mode: private on pure v2 (what inspect's CgroupnsMode says), host on v1.
    ctx.cgroupNamespace = HostInfo.isCgroupV2
    ctx.hostHostname = Self.hostHostname()
    ctx.initBinary = config.initBinary
    ctx.defaultInit = config.defaultInit
    let store = containers
    ctx.containerPID = { ref in
      let other = try store.get(ref)
      guard other.state.status == .running, other.state.pid > 0 else {
        throw DaemonError.conflict(
          "cannot join namespaces of a non running container: container \(other.id) is not running")
      }
      return other.state.pid
    }
    volumeArea.configureVolumes(&ctx)
    return ctx
  }

  /// Waits (on a thread) for the container's exit through its shim, then records it.
  func monitor(_ id: String) {
    guard monitored.insert(id).inserted else { return }
    let client = shimClient(id)
    DedicatedThread.detach { [weak self] in
      let status = (try? client.wait()) ?? client.exitStatus()
      PhaseTrace.mark("d: shim reported the exit")
      Task { await self?.exited(id, status: status) }
    }
  }

  /// `applyPolicy`: false during live restore (restarts wait until the reconciliation is done).
  func exited(_ id: String, status: ShimExitStatus?, applyPolicy: Bool = true) async {
    monitored.remove(id)
    stopHealthcheck(id)
    beginRuntimeDeletion(id)
    guard let settings = try? containers.get(id).settings else {
      await finishRuntimeDeletion(id)
      return
    }
    let recorded: ContainerRecord? = await transition(id) {
      // Processes that can outlive the init (a shared pid namespace) die before the unmount.
      if !Self.diesWithInit(settings) { await finishRuntimeDeletion(id) }
      await cleanupAfterExit(id)
      PhaseTrace.mark("d: cleaned up after exit")
      // A container about to be removed keeps its exit in memory only: no fsync for a record
      // deleted a moment later (after a crash, restore finds it running and removes it).
      do {
        return try containers.update(id, persist: !settings.autoRemove) {
          $0.state.status = .exited
          $0.state.pid = 0
          $0.state.exitCode = status?.exitCode ?? 255
          $0.state.oomKilled = status?.oomKilled ?? false
          $0.state.finishedAt = status.map { $0.exitedAt.isEmpty ? Timestamps.now() : $0.exitedAt } ?? Timestamps.now()
        }
      } catch {
        DaemonLog.engine.error("recording the exit of container \(id) failed: \(error)")
        return nil
      }
    }
    guard let record = recorded else { return }
    PhaseTrace.mark("d: exit recorded")
    emit("die", record, ["exitCode": "\(record.state.exitCode)"])
    for w in exitWaiters.removeValue(forKey: id) ?? [] { w(record) }
    if record.settings.autoRemove {
      try? await removeContainer(id: id, options: ContainerRemoveOptions(force: true))
    } else {
      await finishRuntimeDeletion(id)
      PhaseTrace.mark("d: runtime deleted")
      if applyPolicy { applyRestartPolicy(id) }
    }
  }

  /// Unmounts the rootfs and removes the shim's state (best effort, idempotent).
  /// Deletes a bundle directory, which holds only files berthd wrote and the rootfs mount
  /// point. Nothing recursive: a rootfs still mounted (it cannot be, after the unmount on
  /// exit) makes its rmdir fail instead of deleting the container's files.
  static func removeBundle(_ bundle: String) {
    for name in ["config.json", "hostname", "hosts", "resolv.conf"] { unlink(bundle + "/" + name) }
    rmdir(rootfs(bundle))
    rmdir(bundle)
  }

  func cleanupAfterExit(_ id: String) async {
    let rootfs = Self.rootfs(config.bundle(id))
    let stateDir = config.shimState(id)
    let network = networkArea
    _ = try? await BlockingPool.shared.run {
      network.release(id)
      while (try? SnapshotMount.unmount(rootfs)) != nil {}
      try? SnapshotMount.unmount(rootfs, detach: true)
      try? Files.removeTree(stateDir)
    }
  }

  public func waitContainer(id ref: String, condition: WaitCondition) async throws -> ContainerWaitHandle {
    let record = try record(ref)
    let id = record.id
    switch condition {
    case .notRunning where !record.state.isRunning:
      let code = Int(record.state.exitCode)
      return ContainerWaitHandle { ContainerWaitResponse(statusCode: code) }
    case .removed:
      // Registered now, not when the result is awaited: an exit (and removal) that comes
      // before the caller awaits it is kept, as dockerd's wait does.
      let exit = AsyncStream.makeStream(of: ContainerRecord.self)
      let removed = AsyncStream.makeStream(of: Void.self)
      exitWaiters[id, default: []].append {
        exit.continuation.yield($0)
        exit.continuation.finish()
      }
      removalWaiters[id, default: []].append {
        removed.continuation.yield()
        removed.continuation.finish()
      }
      return ContainerWaitHandle {
        let r = await exit.stream.first { _ in true }
        _ = await removed.stream.first { _ in true }
        return ContainerWaitResponse(statusCode: Int(r?.state.exitCode ?? 0))
      }
    default:
      let exit = AsyncStream.makeStream(of: ContainerRecord.self)
      exitWaiters[id, default: []].append {
        exit.continuation.yield($0)
        exit.continuation.finish()
      }
      return ContainerWaitHandle {
        let r = await exit.stream.first { _ in true }
        return ContainerWaitResponse(statusCode: Int(r?.state.exitCode ?? 0))
      }
    }
  }

  /// The record after the container's next exit (nil if it is removed first).
  func nextExit(_ id: String) async -> ContainerRecord? {
    guard (try? containers.get(id)) != nil else { return nil }
    return await withCheckedContinuation { c in exitWaiters[id, default: []].append { c.resume(returning: $0) } }
  }

  public func killContainer(id ref: String, signal: String?) async throws {
    await settleRestart(ref)
    try await mapErrors {
      let id = try record(ref).id
      let sig = signal.flatMap { $0.isEmpty ? nil : $0 } ?? "SIGKILL"
      let exit: (() async -> ContainerRecord?)? = try await transition(id) {
        let record = try record(id)
        guard record.state.isRunning else {
          throw DaemonError.conflict("cannot kill container: \(ref): container \(record.id) is not running")
        }
        // As dockerd: a frozen process cannot act on (or die of) a signal until thawed.
        guard record.state.status != .paused else {
          throw DaemonError.conflict(
            "cannot kill container: \(ref): Container \(record.id) is paused. Unpause the container before stopping or killing"
          )
        }
        // As dockerd: a killed container is not restarted by its policy.
        try containers.update(record.id) { $0.state.stoppedByUser = true }
        if record.state.status == .restarting {
          cancelRestart(record.id)
          return nil
        }
        // As dockerd, a SIGKILL returns once the exit is recorded; other signals at once.
        let exit = Self.isSIGKILL(sig) ? awaitNextExit(record.id) : nil
        let rt = try runtime(for: record)
        try await BlockingPool.shared.run {
          try rt.checkRunning(["kill", record.id, sig], pid: record.state.pid, id: record.id)
        }
        emit("kill", record, ["signal": sig])
        return exit
      }
      _ = await exit?()
    }
  }

  static func isSIGKILL(_ signal: String) -> Bool {
    let name = signal.uppercased()
    return name == "9" || name == "KILL" || name == "SIGKILL"
  }

  /// Registers for the container's next exit now (so none is missed) and returns the wait.
  func awaitNextExit(_ id: String) -> () async -> ContainerRecord? {
    let exit = AsyncStream.makeStream(of: ContainerRecord.self)
    exitWaiters[id, default: []].append {
      exit.continuation.yield($0)
      exit.continuation.finish()
    }
    return { await exit.stream.first { _ in true } }
  }

  public func stopContainer(id ref: String, options: ContainerStopOptions) async throws {
    await settleRestart(ref)
    try await mapErrors {
      let id = try record(ref).id
      // The signal is a transition; the grace period is not, so a kill or rm -f cuts through it.
      let stopping: (ContainerRecord, RuntimeCommand, () async -> ContainerRecord?)? = try await transition(id) {
        let record = try record(id)
        guard record.state.isRunning else { throw EngineError.notModified("container already stopped") }
        try containers.update(record.id) { $0.state.stoppedByUser = true }
        if record.state.status == .restarting {
          cancelRestart(record.id)
          return nil
        }
        let exit = awaitNextExit(record.id)
        let sig = options.signal ?? record.settings.stopSignal ?? "SIGTERM"
        let rt = try runtime(for: record)
        try await Self.signal(rt, record.id, sig.isEmpty ? "SIGTERM" : sig)
        // A frozen container cannot act on a signal: thaw it (docker does the same).
        if record.state.status == .paused { try await thaw(record, rt) }
        return (record, rt, exit)
      }
      guard let (record, rt, exit) = stopping else { return }
      let timeout = options.timeout ?? record.settings.stopTimeout ?? 10
      // The kill after the grace period runs on its own: the wait below is not cancellable.
      let killer = Task {
        guard timeout >= 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(timeout) * 1_000_000_000)
        try await Self.signal(rt, record.id, "SIGKILL")
      }
      _ = await exit()
      killer.cancel()
      emit("stop", record)
    }
  }

  /// Sends a signal; a container that has just exited is not an error (its exit comes).
  static func signal(_ rt: RuntimeCommand, _ id: String, _ sig: String) async throws {
    let result = try await BlockingPool.shared.run { try rt.run(["kill", id, sig]) }
    if result.status != 0 {
      DaemonLog.engine.debug("kill \(sig) of container \(id): \(result.stderrText)")
    }
  }

  /// Thaws a paused container that is being stopped or removed, and records it running
  /// again (a later unpause must not find it "paused"). The caller holds its turn.
  func thaw(_ record: ContainerRecord, _ rt: RuntimeCommand) async throws {
    let result = try await BlockingPool.shared.run { try rt.run(["resume", record.id]) }
    if result.status != 0 {
      DaemonLog.engine.warning("resume of container \(record.id) before its stop failed: \(result.stderrText)")
    }
    try containers.update(record.id) { if $0.state.status == .paused { $0.state.status = .running } }
  }

  func nextExitIfRunning(_ id: String) async -> ContainerRecord? {
    guard let r = try? containers.get(id), r.state.isRunning else { return nil }
    return await nextExit(id)
  }

  /// As dockerd, a restart answers 204 whatever the container's state: one that another
  /// client stopped or started meanwhile is not a 304.
  public func restartContainer(id: String, options: ContainerStopOptions) async throws {
    do {
      try await stopContainer(id: id, options: options)
    } catch let e as EngineError where e.statusCode == 304 {
      DaemonLog.engine.debug("restart of \(id): it was not running")
    }
    do {
      try await startContainer(id: id)
    } catch let e as EngineError where e.statusCode == 304 {
      DaemonLog.engine.debug("restart of \(id): another client started it meanwhile")
    }
  }

  public func removeContainer(id ref: String, options: ContainerRemoveOptions) async throws {
    await settleRestart(ref)
    try await mapErrors {
      let id = try record(ref).id
      // A running container is killed first, and its exit recorded, outside the removal's
      // turn: the exit is a transition of its own.
      let killed: (() async -> ContainerRecord?)? = try await transition(id) {
        let record = try record(id)
        if record.state.status == .restarting && options.force {
          try containers.update(record.id) { $0.state.stoppedByUser = true }
          cancelRestart(record.id)
          return nil
        }
        guard record.state.isRunning else { return nil }
        guard options.force else {
          throw DaemonError.conflict(
            "cannot remove container \"\(record.name)\": container is running: stop the container before removing or force remove"
          )
        }
        try containers.update(record.id) { $0.state.stoppedByUser = true }
        let exit = awaitNextExit(record.id)
        let rt = try runtime(for: record)
        try await Self.signal(rt, record.id, "SIGKILL")
        if record.state.status == .paused { try await thaw(record, rt) }
        return exit
      }
      _ = await killed?()
      try await transition(id) {
        guard let record = try? containers.get(id) else { return }  // auto-removed meanwhile
        guard !record.state.isRunning else {
          throw DaemonError.conflict("cannot remove container \"\(record.name)\": it was started again meanwhile")
        }
        // The exit path deletes the runtime's container (maybe still under way, awaited
        // below); only a created-but-never-run (or interrupted) one still has state.
        if let root = try? runtime(for: record).root, runtimeDeletions[record.id] == nil,
          Files.exists(root + "/" + record.id)
        {
          beginRuntimeDeletion(record.id)
        }
        if !Self.diesWithInit(record.settings) { await finishRuntimeDeletion(record.id) }
        await cleanupAfterExit(record.id)
        PhaseTrace.mark("d: remove: unmounted")
        let imageStore = images
        let store = containers
        let bundle = config.bundle(record.id)
        try await BlockingPool.shared.run {
          if imageStore.snapshots.stat(ContainerArea.snapshotKey(record.id)) != nil {
            try imageStore.snapshots.remove(ContainerArea.snapshotKey(record.id), durable: !record.settings.autoRemove)
          }
          PhaseTrace.mark("d: remove: snapshot removed")
          try store.remove(record.id)
          ContainerArea.removeBundle(bundle)
        }
        // Removed means no cgroup and no runtime state either.
        await finishRuntimeDeletion(record.id)
        PhaseTrace.mark("d: remove: runtime deleted")
        for w in exitWaiters.removeValue(forKey: record.id) ?? [] { w(record) }
        for w in removalWaiters.removeValue(forKey: record.id) ?? [] { w() }
        // Attachers still waiting for a start that will never come.
        for w in launchWaiters.removeValue(forKey: record.id) ?? [] { w.resume(returning: false) }
        await execArea.dropExecs(of: record.id)
        PhaseTrace.mark("d: removed")
        emit("destroy", record)
        await volumeArea.removeAnonymousVolumes(
          of: record.id, when: options.removeVolumes || record.settings.autoRemove)
        RestartRegistry.shared.forget(record.id)
        stopHealthcheck(record.id)
      }
    }
  }
}
