import JSONCoding
import Glibc
import LinuxOS

/// Control requests (see ShimProtocol.swift).
extension ShimDaemon {
  /// Answers every complete request in the client's buffer until one changes its mode.
  func serveRequests(_ connection: ClientConnection) {
    while connection.mode == .control && !connection.closeWhenFlushed {
      let message: [UInt8]
      do {
        guard let next = try ShimWire.takeControlMessage(from: &connection.input) else { return }
        message = next
      } catch {
        reply(ShimResponse(error: "\(error)"), to: connection)
        connection.closeWhenFlushed = true
        return
      }
      let response: ShimResponse?
      do {
        let request = try JSON.decode(ShimRequest.self, from: message)
        response = try serve(request, on: connection)
      } catch {
        response = ShimResponse(error: "\(error)")
      }
      if let response { reply(response, to: connection) }
    }
    // Whatever followed an attach or exec request is already stdin.
    if case .attached = connection.mode, !connection.input.isEmpty {
      let rest = connection.input
      connection.input = []
      received(rest, from: connection)
    }
  }

  /// Handles one request; nil means the reply comes later (`wait`).
  func serve(_ request: ShimRequest, on connection: ClientConnection) throws -> ShimResponse? {
    let key = request.execID ?? ""
    switch request.op {
    case .start:
      let process = try lookUp("")
      guard !process.started else { throw ShimError.request("container \(config.id) is already started") }
      guard process.exit == nil else { throw ShimError.request("container \(config.id) has exited") }
      PhaseTrace.mark("shim: start")
      if let fifo = config.execFifo {
        try ExecFifo.release(fifo, initPID: process.pid)
      } else {
        try runtime.run(["start", config.id], fds: [devNull, devNull, devNull])
      }
      PhaseTrace.mark("shim: started the container")
      process.started = true
      return process.response()
    case .attach:
      let process = try lookUp(key)
      guard !process.finished else { throw ShimError.request("cannot attach: \(describe(key)) has exited") }
      connection.mode = .attached(
        key: key, stdin: request.stdin == true && process.stdinFD >= 0, stdout: request.stdout ?? true,
        stderr: request.stderr ?? true)
      connection.keepsStdinOnHangUp = request.keepStdinOnHangUp ?? false
      return process.response()
    case .exec:
      let process = try exec(request)
      connection.mode = .attached(
        key: process.key, stdin: process.stdinFD >= 0, stdout: request.stdout ?? true,
        stderr: request.stderr ?? true)
      connection.keepsStdinOnHangUp = request.keepStdinOnHangUp ?? false
      return process.response()
    case .resize:
      let process = try lookUp(key)
      guard process.master >= 0 else { throw ShimError.request("\(describe(key)) has no terminal") }
      try Terminals.setSize(process.master, rows: request.rows ?? 24, columns: request.cols ?? 80)
      return process.response()
    case .wait:
      let process = try lookUp(key)
      if process.finished { return process.response() }
      connection.mode = .waiting(key: key)
      return nil
    case .state:
      var response = try lookUp(key).response()
      response.shimPid = getpid()
      return response
    case .closeStdin:
      let process = try lookUp(key)
      process.requestCloseStdin()
      return process.response()
    case .shutdown:
      exitRequested = true
      if finishDeadline == nil { finishDeadline = LogTimestamp.monotonicNanoseconds() + Self.finishTimeout }
      var response = ShimResponse()
      response.shimPid = getpid()
      return response
    }
  }

  func lookUp(_ key: String) throws -> ManagedProcess {
    guard let process = processes[key] else { throw ShimError.request("no such process: \(describe(key))") }
    return process
  }

  func describe(_ key: String) -> String { key.isEmpty ? "container \(config.id)" : "exec \(key)" }

  /// `runtime exec --detach`: a new process in the running container, its stdio held here.
  func exec(_ request: ShimRequest) throws -> ManagedProcess {
    guard let execID = request.execID, Self.isValidExecID(execID) else {
      throw ShimError.invalidArgument("exec needs an execID of 1–128 characters from [A-Za-z0-9_.-]")
    }
    guard processes[execID] == nil else { throw ShimError.request("exec \(execID) already exists") }
    guard let processPath = request.processPath, !processPath.isEmpty else {
      throw ShimError.invalidArgument("exec needs processPath (an OCI process JSON file)")
    }
    let container = try lookUp("")
    guard container.started && container.exit == nil else {
      throw ShimError.request("container \(config.id) is not running")
    }
    let process = ManagedProcess(key: execID, terminal: request.terminal == true, stdinOnce: true)
    let pidFile = paths.execPID(execID)
    try launch(process, stdin: request.stdin == true, consoleName: "exec-\(execID)") { console in
      ["exec", "--process", processPath, "--detach", "--pid-file", pidFile] + console + [config.id]
    }
    do {
      process.pid = try RuntimeInvoker.readPID(pidFile)
    } catch {
      process.closeAll()
      throw error
    }
    process.started = true
    processes[execID] = process
    return process
  }

  static func isValidExecID(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 128
      && id.utf8.allSatisfy { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x2e
          || c == 0x5f
      }
  }
}
