// Exec: create records the request; start builds an OCI process from the container's
// bundle config and hands it to the shim's `exec`; the hijacked stream carries the output
// (framed without a TTY) and stdin; the exit code lands in ExecInspect.
#if canImport(Glibc)
  import Glibc
#endif
import EngineAPI
import FoundationEssentials
import LinuxOS
import OCI
import Shim

/// One exec instance, as ExecInspect shows it.
struct ExecRecord: Sendable {
  var id: String
  var containerID: String
  var request: ExecCreateRequest
  var started = false
  var running = false
  var exitCode: Int?
  var pid: Int32 = 0
}

/// The exec area: exec instances by id, started through the container's shim.
public actor ExecArea: ExecBackend, EngineArea {
  public nonisolated let context: EngineContext
  var execs: [String: ExecRecord] = [:]

  init(context: EngineContext) { self.context = context }
}

extension ExecArea {
  public func createExec(containerID ref: String, request: ExecCreateRequest) async throws -> IDResponse {
    try await mapErrors {
      let r = try record(ref)
      guard r.state.status == .running else {
        if r.state.status == .paused {
          throw EngineError.conflict("Container \(r.id) is paused, unpause the container before exec")
        }
        throw EngineError.conflict("container \(r.id) is not running")
      }
      guard let cmd = request.cmd, !cmd.isEmpty else { throw EngineError.badParameter("No exec command specified") }
      let id = ContainerStore.newID()
      execs[id] = ExecRecord(id: id, containerID: r.id, request: request)
      emit("exec_create: " + cmd.joined(separator: " "), r, ["execID": id])
      return IDResponse(id: id)
    }
  }

  public func inspectExec(id: String) async throws -> ExecInspect {
    guard let e = execs[id] else { throw EngineError.notFound("No such exec instance: \(id)") }
    let cmd = e.request.cmd ?? []
    return ExecInspect(
      canRemove: false, detachKeys: e.request.detachKeys ?? "", id: e.id, running: e.running, exitCode: e.exitCode,
      processConfig: ProcessConfig(
        privileged: e.request.privileged ?? false, user: e.request.user ?? "", tty: e.request.tty ?? false,
        entrypoint: cmd.first ?? "", arguments: Array(cmd.dropFirst())),
      openStdin: e.request.attachStdin ?? false, openStderr: e.request.attachStderr ?? false,
      openStdout: e.request.attachStdout ?? false, containerID: e.containerID, pid: Int(e.pid))
  }

  public func resizeExec(id: String, height: Int, width: Int) async throws {
    guard let e = execs[id] else { throw EngineError.notFound("No such exec instance: \(id)") }
    guard e.running else { throw EngineError.conflict("exec \(id) is not running") }
    let client = shimClient(e.containerID)
    try await mapErrors {
      try await BlockingPool.shared.run {
        try client.resize(
          rows: UInt16(clamping: height), cols: UInt16(clamping: width), execID: ExecArea.shimExecID(id))
      }
    }
  }

  public func startExec(id: String, options: ExecStartRequest, stream: (any HijackedStream)?) async throws {
    try await mapErrors {
      guard var e = execs[id] else { throw EngineError.notFound("No such exec instance: \(id)") }
      guard !e.started else { throw EngineError.conflict("Error: Exec command \(id) is already running") }
      let container = try record(e.containerID)
      guard container.state.status == .running else {
        throw EngineError.conflict("container \(container.id) is not running")
      }
      e.started = true
      execs[id] = e
      let tty = e.request.tty ?? options.tty
      let wantStdin = stream != nil && (e.request.attachStdin ?? false)
      let processPath = config.shimState(container.id) + "/exec-\(Self.shimExecID(id)).json"
      let process = try Self.execProcess(
        container, e.request, tty: tty, consoleSize: options.consoleSize, config: config)
      let client = shimClient(container.id)
      let attachment: ShimAttachment
      do {
        attachment = try await BlockingPool.shared.run {
          let enc = JSONEncoder()
          try Files.writeAtomically(processPath, Array(try enc.encode(process)), durable: false)
          return try client.exec(
            execID: ExecArea.shimExecID(id), processPath: processPath, terminal: tty, stdin: wantStdin,
            keepStdinOnHangUp: wantStdin)
        }
      } catch {
        execs[id]?.exitCode = 126
        throw DaemonError.system("exec failed: \(error)")
      }
      execs[id]?.running = true
      execs[id]?.pid = attachment.pid
      emit("exec_start: " + (e.request.cmd ?? []).joined(separator: " "), container, ["execID": id])
      let engine = self
      guard let stream else {
        // Detached: drain the output (docker keeps no exec logs) and record the exit.
        DedicatedThread.detach {
          do {
            while try attachment.read() != nil {}
          } catch {
            DaemonLog.engine.debug("exec \(id): draining the detached output ended: \(error)")
          }
          Task { await engine.execFinished(id, client: client, processPath: processPath) }
        }
        return
      }
      let detach = try DetachKeys(e.request.detachKeys)
      let detachedSignal = DetachSignal()
      let input: Task<Void, Never>? =
        wantStdin
        ? Task {
          if await StdinForwarding.forward(stream, to: attachment, detach: detach, what: "exec \(id)") {
            detachedSignal.set()
          }
        } : nil
      defer {
        input?.cancel()
        attachment.shutdown()
      }
      do {
        let output = StreamPump { try attachment.read() }
        defer { output.cancel() }
        while let chunk = try await output.next() {
          let s: StdStream = chunk.stream == .stderr ? .stderr : .stdout
          // Framed by the start request's Tty, as dockerd: the docker SDK starts an exec
          // created with a TTY with `Tty: false` and demultiplexes what comes back.
          try await stream.writeOutput(chunk.bytes, stream: s, tty: options.tty)
        }
      } catch {
        // The client went away: the process keeps running; its exit is still recorded.
        Task { await engine.execFinished(id, client: client, processPath: processPath) }
        return
      }
      // Detached: the client goes, the process keeps running and its exit is recorded later.
      if detachedSignal.isSet {
        Task { await engine.execFinished(id, client: client, processPath: processPath) }
        return
      }
      await execFinished(id, client: client, processPath: processPath)
    }
  }

  /// Waits for the exec's exit status and records it.
  func execFinished(_ id: String, client: ShimClient, processPath: String) async {
    let status = try? await DedicatedThread.run { try client.wait(execID: ExecArea.shimExecID(id)) }
    execs[id]?.running = false
    execs[id]?.exitCode = Int(status?.exitCode ?? 126)
    _ = try? await BlockingPool.shared.run { unlink(processPath) }
  }

  /// The exec's id at the shim: short, because the shim names a console socket after it
  /// ("exec-<id>.console.sock") and socket paths are limited to 107 bytes.
  static func shimExecID(_ id: String) -> String { String(id.prefix(12)) }

  func execIDs(of containerID: String) -> [String] {
    execs.values.filter { $0.containerID == containerID && $0.running }.map(\.id).sorted()
  }

  /// Forgets the execs of a removed container.
  func dropExecs(of containerID: String) {
    execs = execs.filter { $0.value.containerID != containerID }
  }

  /// The container's process from its bundle, with the exec's args, env, cwd, user, tty.
  static func execProcess(
    _ r: ContainerRecord, _ req: ExecCreateRequest, tty: Bool, consoleSize: [Int]?, config: EngineConfig
  ) throws -> Process {
    let dir = config.bundle(r.id)
    let bytes = try Files.read(dir + "/config.json")
    let spec = try JSONDecoder().decode(Spec.self, from: Data(bytes))
    guard var p = spec.process else { throw DaemonError.system("container \(r.id) has no process in its bundle") }
    p.args = req.cmd
    p.terminal = tty
    p.env = SpecBuilder.replaceOrAppend(p.env ?? [], with: req.env ?? [])
    if let wd = req.workingDir, !wd.isEmpty { p.cwd = wd }
    if let user = req.user, !user.isEmpty {
      p.user = try SpecBuilder.resolveUser(user, groupAdd: r.settings.groupAdd ?? [], rootfs: ContainerArea.rootfs(dir))
    }
    if req.privileged == true {
      let all = try SpecBuilder.capabilities(add: [], drop: [], privileged: true)
      p.capabilities = Capabilities(bounding: all, effective: all, inheritable: [], permitted: all)
    }
    if tty, let size = consoleSize ?? req.consoleSize, size.count == 2, size[0] > 0, size[1] > 0 {
      p.consoleSize = ConsoleSize(height: UInt32(size[0]), width: UInt32(size[1]))
    } else {
      p.consoleSize = nil
    }
    return p
  }
}
