// Restart policies, as dockerd applies them: `no`, `always`, `unless-stopped` and
// `on-failure[:N]`. On an exit the container is restarted unless the user stopped it
// (`docker stop`/`kill`/`rm -f` set `stoppedByUser`), after a back-off that starts at
// 100 ms and doubles with every restart (up to a minute), reset once the container ran
// for 10 s. While it waits the container is "restarting" (`docker ps`: "Restarting (1) …").
// At daemon start, containers whose policy asks for it are started again.
import FoundationEssentials
import Synchronization

/// Pending restarts and back-off delays by container id (the Engine's stored properties
/// live in Engine.swift; these stay with the restart code).
final class RestartRegistry: Sendable {
  struct Entry {
    var task: Task<Void, Never>?
    /// The last delay in milliseconds (0: none yet).
    var delay: UInt64 = 0
    /// A restart's start is under way (stop, kill and rm wait for it).
    var starting = false
  }
  let entries = Mutex<[String: Entry]>([:])
  static let shared = RestartRegistry()

  /// The next back-off delay for `id`, given how long the container ran.
  func nextDelay(_ id: String, ranSeconds: Double) -> UInt64 {
    entries.withLock { all in
      var e = all[id] ?? Entry()
      if ranSeconds >= 10 { e.delay = 0 }
      e.delay = e.delay == 0 ? 100 : min(e.delay * 2, 60_000)
      all[id] = e
      return e.delay
    }
  }

  func setTask(_ id: String, _ task: Task<Void, Never>?) {
    entries.withLock { $0[id, default: Entry()].task = task }
  }

  /// Cancels a pending restart; true if there was one.
  @discardableResult
  func cancel(_ id: String) -> Bool {
    entries.withLock { all in
      let task = all[id]?.task
      all[id]?.task = nil
      task?.cancel()
      return task != nil
    }
  }

  func setStarting(_ id: String, _ starting: Bool) {
    entries.withLock { $0[id, default: Entry()].starting = starting }
  }

  func isStarting(_ id: String) -> Bool { entries.withLock { $0[id]?.starting ?? false } }

  func forget(_ id: String) {
    entries.withLock { $0.removeValue(forKey: id)?.task?.cancel() }
  }
}

extension ContainerArea {
  /// Whether the policy restarts a container that just exited.
  static func shouldRestart(_ r: ContainerRecord) -> Bool {
    guard !r.state.stoppedByUser else { return false }
    let p = r.settings.restartPolicy
    switch p.name {
    case "always", "unless-stopped": return true
    case "on-failure":
      return r.state.exitCode != 0 && (p.maximumRetryCount <= 0 || r.restartCount < p.maximumRetryCount)
    default: return false
    }
  }

  /// Whether the container is started again when the daemon starts (it is not running).
  static func restartsOnDaemonStart(_ r: ContainerRecord) -> Bool {
    guard r.state.status == .exited || r.state.status == .restarting else { return false }
    switch r.settings.restartPolicy.name {
    case "always": return true
    case "unless-stopped": return !r.state.stoppedByUser
    case "on-failure": return shouldRestart(r)
    default: return false
    }
  }

  /// Called after an exit was recorded: schedules the restart the policy asks for.
  /// Returns true if one is scheduled (the container is then "restarting").
  @discardableResult
  func applyRestartPolicy(_ id: String) -> Bool {
    guard let r = try? containers.get(id), r.state.status == .exited, !r.settings.autoRemove,
      Self.shouldRestart(r)
    else { return false }
    let ran = (Timestamps.parse(r.state.finishedAt) ?? 0) - (Timestamps.parse(r.state.startedAt) ?? 0)
    let delay = RestartRegistry.shared.nextDelay(id, ranSeconds: ran)
    guard
      (try? containers.update(
        id,
        {
          $0.state.status = .restarting
          $0.restartCount += 1
        })) != nil
    else { return false }
    let task = Task { [weak self] in
      try? await Task.sleep(nanoseconds: delay * 1_000_000)
      guard !Task.isCancelled else { return }
      await self?.restartNow(id)
    }
    RestartRegistry.shared.setTask(id, task)
    return true
  }

  /// The end of a back-off: start the container again (unless stopped meanwhile).
  func restartNow(_ id: String) async {
    RestartRegistry.shared.setTask(id, nil)
    guard let r = try? containers.get(id), r.state.status == .restarting else { return }
    if r.state.stoppedByUser {
      finishRestarting(id)
      return
    }
    _ = try? containers.update(id) { $0.state.status = .exited }
    RestartRegistry.shared.setStarting(id, true)
    defer { RestartRegistry.shared.setStarting(id, false) }
    do {
      try await startContainer(id: id)
    } catch {
      // A failed start counts as an exit: the policy decides again (with a longer back-off).
      if !applyRestartPolicy(id) { wakeExitWaiters(id) }
    }
  }

  /// Waits until a restart's start under way (if any) is done, so that stop, kill and rm
  /// see the container running rather than racing with its start.
  func settleRestart(_ ref: String) async {
    guard let r = try? containers.get(ref) else { return }
    for _ in 0..<3000 where RestartRegistry.shared.isStarting(r.id) {
      try? await Task.sleep(nanoseconds: 10_000_000)
    }
  }

  /// A pending restart cancelled (stop, kill, rm -f): the container stays exited.
  func cancelRestart(_ id: String) {
    RestartRegistry.shared.cancel(id)
    guard let r = try? containers.get(id), r.state.status == .restarting else { return }
    finishRestarting(id)
  }

  private func finishRestarting(_ id: String) {
    _ = try? containers.update(id) { $0.state.status = .exited }
    wakeExitWaiters(id)
  }

  func wakeExitWaiters(_ id: String) {
    guard let r = try? containers.get(id) else { return }
    for w in exitWaiters.removeValue(forKey: id) ?? [] { w(r) }
  }

  /// At daemon start (after live restore): start the containers whose policy says so.
  func restartPoliciesAtDaemonStart() async {
    for r in containers.all() where Self.restartsOnDaemonStart(r) {
      if r.state.status == .restarting {
        _ = try? containers.update(r.id) { $0.state.status = .exited }
      }
      do {
        try await startContainer(id: r.id)
      } catch {
        applyRestartPolicy(r.id)
      }
    }
  }
}
