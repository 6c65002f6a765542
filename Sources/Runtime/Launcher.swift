import Cgroups
import Glibc
import LinuxOS
import OCI

/// Starts `berth-runtime init` from a protected handle on this binary and drives the
/// handshake up to the point where the container process exists in its namespaces.
/// The caller then sends `proceed` and places it in its cgroup (`Started.place`).
struct Launcher {
  struct Started {
    let pid: Int32
    let channel: SyncChannel
    /// Its `selfPlaced` came before stage 1's `childPID`.
    let selfPlacedReceived: Bool
    /// `InitConfig.waitsForProceed`: false, and the process does not read a `proceed`.
    let sendsProceed: Bool
    /// Its `ready` came before `childPID` too (possible when it waits for no `proceed`:
    /// stage 1 and the container process write to the same channel).
    let readyReceived: Bool

    /// Waits until the container process reports it entered its cgroup (it places
    /// itself: a parent's move can block for an RCU grace period, ~10 ms on v1).
    func ensurePlaced() throws {
      if !selfPlacedReceived { _ = try channel.expect(.selfPlaced) }
    }

    /// `proceed` (when the process waits for it), then its `selfPlaced` off the channel,
    /// so the next message read is `ready`. The process needs no answer to `selfPlaced`:
    /// it entered its cgroup before saying so.
    func proceedAndPlace(alreadyPlaced: Bool = false) throws {
      if sendsProceed { try channel.send(SyncMessage(.proceed, pid: pid)) }
      if !alreadyPlaced { try ensurePlaced() }
    }

    /// Waits for the container process's `ready`, unless it already came.
    func expectReady() throws {
      if !readyReceived { _ = try channel.expect(.ready) }
    }
  }

  /// fds passed to init after stdio and the preserved ones: sync, exec fifo, console socket.
  static func launch(
    _ config: InitConfig, emptyLayer: String, fifoFD: Int32?, consoleSocketFD: Int32?,
    whileInitStarts prepare: () throws -> Void = {}
  ) throws -> Started {
    try launch(
      preservedFDs: config.preservedFDs, emptyLayer: emptyLayer, fifoFD: fifoFD, consoleSocketFD: consoleSocketFD,
      makeConfig: { config }, whileInitStarts: prepare, whileInitForks: {})
  }

  /// `makeConfig` runs once init is spawned: building and sending the config overlaps
  /// the init's exec and start-up instead of delaying them.
  static func launch(
    preservedFDs: Int, emptyLayer: String, fifoFD: Int32?, consoleSocketFD: Int32?,
    makeConfig: () throws -> InitConfig, whileInitStarts prepare: () throws -> Void,
    whileInitForks finish: () throws -> Void
  ) throws -> Started {
    let (parentEnd, childEnd) = try FD.socketPair()
    defer { FD.close(childEnd) }
    let executable = try SelfExecutable.protectedHandle(emptyDirectory: emptyLayer)
    defer { FD.close(executable) }
    var fds: [Int32] = [0, 1, 2]
    if preservedFDs > 0 { fds += (0..<Int32(preservedFDs)).map { 3 + $0 } }
    let syncFD = Int32(fds.count)
    fds += [childEnd, fifoFD ?? -1, consoleSocketFD ?? -1]
    PhaseTrace.mark("spawning init")
    let stageOne = try Processes.spawn(
      "/proc/self/exe", ["berth-runtime", "init"],
      environment: ["\(InitProcess.syncFDVariable)=\(syncFD)"] + PhaseTrace.environment, fds: fds,
      execFD: executable)
    PhaseTrace.mark("init spawned")
    let channel = SyncChannel(fd: parentEnd)
    do {
      let config = try makeConfig()
      guard config.syncFD == syncFD else { throw RuntimeError("init config: sync fd \(config.syncFD) ≠ \(syncFD)") }
      try channel.sendConfig(config)
      // Work that needs no init (the cgroup's creation) overlaps its start-up.
      try prepare()
      PhaseTrace.mark("cgroup prepared")
      if config.mode == .create { try channel.send(SyncMessage(.cgroupReady)) }
      try finish()
      var selfPlacedReceived = false
      var readyReceived = false
      while true {
        let message = try channel.receive(SyncMessage.self)
        switch message.kind {
        case .selfPlaced:
          selfPlacedReceived = true
        case .ready where !config.waitsForProceed:
          readyReceived = true
        case .writeIDMaps:
          try writeIDMaps(pid: message.pid ?? stageOne, linux: config.spec.linux)
          try channel.send(SyncMessage(.done))
        case .childPID:
          _ = try? Processes.wait(stageOne)
          guard let pid = message.pid, pid > 0 else { throw RuntimeError("container init reported no pid") }
          return Started(
            pid: pid, channel: channel, selfPlacedReceived: selfPlacedReceived,
            sendsProceed: config.waitsForProceed, readyReceived: readyReceived)
        case .failure:
          throw RuntimeError(message.message ?? "container init failed")
        default:
          throw RuntimeError("container init protocol: unexpected \(message.kind.rawValue)")
        }
      }
    } catch {
      kill(stageOne, SIGKILL)
      _ = try? Processes.wait(stageOne)
      FD.close(parentEnd)
      throw error
    }
  }

  static func writeIDMaps(pid: Int32, linux: Linux?) throws {
    func render(_ maps: [IDMapping]?) -> String {
      (maps ?? []).map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
    }
    try Files.writeKernelFile("/proc/\(pid)/uid_map", render(linux?.uidMappings))
    try Files.writeKernelFile("/proc/\(pid)/gid_map", render(linux?.gidMappings))
  }
}
