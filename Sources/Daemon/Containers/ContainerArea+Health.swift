// Healthchecks, as dockerd runs them: while the container runs, every Interval the test
// (Config.Healthcheck or the image's: ["CMD", …], ["CMD-SHELL", "…"], ["NONE"]) runs as an
// exec through the shim; its exit code makes the status healthy, or after Retries
// failures in a row (failures inside StartPeriod do not count while starting) unhealthy.
// State.Health keeps the status, the failing streak and the last 5 results.
import EngineAPI
import FoundationEssentials
import LinuxOS
import OCI
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The running healthcheck loops by container id.
final class HealthRegistry: Sendable {
  let tasks = Mutex<[String: Task<Void, Never>]>([:])
  static let shared = HealthRegistry()

  func replace(_ id: String, with task: Task<Void, Never>?) {
    tasks.withLock { all in
      all[id]?.cancel()
      all[id] = task
    }
  }
}

/// A healthcheck with dockerd's defaults filled in.
struct HealthProbe: Sendable {
  var argv: [String]
  var interval: UInt64
  var timeout: UInt64
  var startPeriod: UInt64
  /// The interval inside the start period (StartInterval), 0: Interval.
  var startInterval: UInt64
  var retries: Int

  static let defaultNanos: UInt64 = 30_000_000_000
  static let maxOutput = 4096

  init?(_ h: ImageConfig.Healthcheck?) {
    guard let h, let test = h.test, let kind = test.first else { return nil }
    switch kind {
    case "CMD" where test.count > 1: argv = Array(test.dropFirst())
    case "CMD-SHELL" where test.count > 1: argv = ["/bin/sh", "-c", test.dropFirst().joined(separator: " ")]
    default: return nil  // "NONE", or nothing to run
    }
    func nanos(_ v: Int64?, _ d: UInt64) -> UInt64 { (v ?? 0) > 0 ? UInt64(v ?? 0) : d }
    interval = nanos(h.interval, Self.defaultNanos)
    timeout = nanos(h.timeout, Self.defaultNanos)
    startPeriod = nanos(h.startPeriod, 0)
    startInterval = nanos(h.startInterval, 0)
    retries = (h.retries ?? 0) > 0 ? (h.retries ?? 3) : 3
  }
}

extension ContainerArea {
  /// Starts the healthcheck loop of a running container (no-op without a healthcheck).
  /// `restored`: live restore re-attaches, and the container keeps its health state.
  func startHealthcheck(_ id: String, restored: Bool = false) {
    guard let r = try? containers.get(id), r.state.status == .running || r.state.status == .paused,
      let probe = HealthProbe(r.settings.healthcheck)
    else {
      HealthRegistry.shared.replace(id, with: nil)
      return
    }
    let started = r.state.startedAt
    _ = try? containers.update(id) { rec in
      var h = rec.state.health ?? HealthState()
      // A restored container keeps its state; a (re)started one starts over.
      if rec.state.health == nil || !restored {
        h.status = "starting"
        h.failingStreak = 0
      }
      rec.state.health = h
    }
    let startedSeconds = Timestamps.parse(started) ?? 0
    let task = Task { [weak self] in
      while !Task.isCancelled {
        let sinceStart = (Timestamps.parse(Timestamps.now()) ?? 0) - startedSeconds
        let inStartPeriod = sinceStart * 1e9 < Double(probe.startPeriod)
        try? await Task.sleep(
          nanoseconds: inStartPeriod && probe.startInterval > 0 ? probe.startInterval : probe.interval)
        guard !Task.isCancelled, let engine = self else { return }
        guard await engine.runHealthProbe(id, probe, startedAt: started) else { return }
      }
    }
    HealthRegistry.shared.replace(id, with: task)
  }

  func stopHealthcheck(_ id: String) {
    HealthRegistry.shared.replace(id, with: nil)
  }

  /// One probe; records the result. False once the container no longer runs this start.
  func runHealthProbe(_ id: String, _ probe: HealthProbe, startedAt: String) async -> Bool {
    guard let r = try? containers.get(id), r.state.startedAt == startedAt, r.state.isRunning else { return false }
    // A paused container is not probed (dockerd skips it too).
    guard r.state.status == .running else { return true }
    let start = Timestamps.now()
    let (code, output) = await execProbe(r, probe)
    let result = HealthResult(start: start, end: Timestamps.now(), exitCode: code, output: output)
    let sinceStart = (Timestamps.parse(start) ?? 0) - (Timestamps.parse(startedAt) ?? 0)
    let inStartPeriod = sinceStart * 1e9 < Double(probe.startPeriod)
    let before = r.state.health?.status
    let updated = try? containers.update(id) { rec in
      guard rec.state.status == .running, rec.state.startedAt == startedAt else { return }
      var h = rec.state.health ?? HealthState()
      h.log = Array((h.log + [result]).suffix(5))
      if code == 0 {
        h.status = "healthy"
        h.failingStreak = 0
      } else if !(inStartPeriod && h.status == "starting") {
        h.failingStreak += 1
        if h.failingStreak >= probe.retries { h.status = "unhealthy" }
      }
      rec.state.health = h
    }
    if let updated, let now = updated.state.health?.status, now != before {
      emit("health_status: " + now, updated)
    }
    return updated?.state.startedAt == startedAt && updated?.state.status == .running
  }

  /// Runs the probe as an exec through the shim: (exit code, output). -1 on a timeout.
  func execProbe(_ r: ContainerRecord, _ probe: HealthProbe) async -> (Int, String) {
    let execID = ContainerStore.newID()
    let shimID = ExecArea.shimExecID(execID)
    let processPath = config.shimState(r.id) + "/exec-\(shimID).json"
    let process: Process
    do {
      process = try ExecArea.execProcess(
        r, ExecCreateRequest(cmd: probe.argv), tty: false, consoleSize: nil, config: config)
    } catch {
      return (-1, "failed to create the health check: \(error)")
    }
    let client = shimClient(r.id)
    let runner = Task { () -> (Int, String) in
      do {
        return try await BlockingPool.shared.run { () throws -> (Int, String) in
          try Files.writeAtomically(processPath, Array(try JSONEncoder().encode(process)), durable: false)
          defer { unlink(processPath) }
          let attachment = try client.exec(execID: shimID, processPath: processPath, terminal: false, stdin: false)
          let pid = attachment.pid
          HealthPIDs.shared.set(shimID, pid)
          defer { HealthPIDs.shared.set(shimID, nil) }
          var out: [UInt8] = []
          while let chunk = try attachment.read() {
            if out.count < HealthProbe.maxOutput { out += chunk.bytes.prefix(HealthProbe.maxOutput - out.count) }
          }
          let status = try client.wait(execID: shimID)
          return (Int(status.exitCode), String(decoding: out, as: UTF8.self))
        }
      } catch {
        return (-1, "health check failed: \(error)")
      }
    }
    let timeout = probe.timeout
    let timer = Task { () -> Bool in
      do { try await Task.sleep(nanoseconds: timeout) } catch { return false }
      // Past the timeout: kill the probe; its stream then ends.
      guard let pid = HealthPIDs.shared.get(shimID), pid > 0 else { return false }
      kill(pid, SIGKILL)
      return true
    }
    let result = await runner.value
    timer.cancel()
    if await timer.value {
      return (-1, "Health check exceeded timeout (\(Self.seconds(timeout)))")
    }
    return result
  }

  /// "200ms", "30s", as Go prints a duration (roughly).
  static func seconds(_ nanos: UInt64) -> String {
    nanos % 1_000_000_000 == 0 ? "\(nanos / 1_000_000_000)s" : "\(nanos / 1_000_000)ms"
  }
}

/// Host pids of running probes, so a timeout can kill them.
final class HealthPIDs: Sendable {
  let pids = Mutex<[String: Int32]>([:])
  static let shared = HealthPIDs()
  func set(_ id: String, _ pid: Int32?) { pids.withLock { $0[id] = pid } }
  func get(_ id: String) -> Int32? { pids.withLock { $0[id] } }
}

extension ContainerArea {
  /// `docker ps`'s health note after "Up …".
  static func healthSuffix(_ s: ContainerState) -> String {
    switch s.health?.status {
    case "starting": " (health: starting)"
    case "healthy": " (healthy)"
    case "unhealthy": " (unhealthy)"
    default: ""
    }
  }
}
