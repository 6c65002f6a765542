import JSONCoding
import Glibc
import LinuxOS

/// A launched shim, as `ShimClient.launch` returns it.
public struct ShimProcess: Sendable, Equatable {
  public let pid: Int32
  public let initPid: Int32
  public let stateDir: String
}

/// berthd's side of the shim protocol. Calls block; run them off the event loop.
/// Each call opens its own connection, so one value may be used from many threads.
public struct ShimClient: Sendable {
  public let paths: ShimPaths

  public init(stateDir: String) { paths = ShimPaths(stateDir: stateDir) }

  /// A client for the shim whose state lives in `stateDir` (berthd after a restart).
  public static func connect(stateDir: String) -> ShimClient { ShimClient(stateDir: stateDir) }

  /// Writes `shim.json`, starts the shim (which outlives the caller), and returns once
  /// the container is created; throws the runtime's create error otherwise.
  public static func launch(_ config: ShimConfig, shimBinary: String) throws -> ShimProcess {
    try spawn(config, shimBinary: shimBinary).proceed()
  }

  /// Writes `shim.json` and starts the shim, which sets itself up and then waits: the
  /// caller prepares the bundle meanwhile and calls `proceed` (or `abandon`).
  ///
  /// The shim is started directly, in a session of its own, and stays the caller's child:
  /// `ChildReaper` collects its exit. (Going through a process that re-spawns it and exits
  /// cost one more process start on every container start.) A caller that dies leaves the
  /// shim to init or the nearest subreaper, which is what lets containers outlive berthd.
  ///
  /// `heldFDs` (sockets reserving the container's published host ports) become the shim's
  /// fds 5 and up, which it never touches: they stay open for as long as the shim lives,
  /// across berthd restarts. The caller closes its own copies.
  public static func spawn(_ config: ShimConfig, shimBinary: String, heldFDs: [Int32] = []) throws -> PendingShim {
    let paths = ShimPaths(stateDir: config.stateDir)
    try Files.makeDirectories(config.stateDir, mode: 0o711)
    // Not fsynced: the exec root's state does not outlive a reboot (see ShimDaemon.setUp).
    try Files.writeAtomically(
      paths.config, try JSON.encode(config, options: .init(sortedKeys: true)), mode: 0o600, durable: false)
    unlink(paths.exitStatus)
    var opened: [Int32] = []
    defer { for fd in opened { FD.close(fd) } }
    let report = try FD.pipe()
    opened += [report.read, report.write]
    let go = try FD.pipe()
    opened += [go.read, go.write]
    let devNull = try FD.open("/dev/null", O_RDWR)
    opened.append(devNull)
    let shimLog = try FD.open(paths.shimLog, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
    opened.append(shimLog)
    PhaseTrace.mark("d: spawning the shim")
    let pid = try Processes.spawn(
      shimBinary, ["berth-shim", "--state-dir", config.stateDir], environment: RuntimeInvoker.environment,
      fds: [devNull, devNull, shimLog, report.write, go.read] + heldFDs, newSession: true,
      workingDirectory: config.stateDir)
    // Kept: the read end of the report and the write end of the go pipe.
    opened.removeAll { $0 == report.read || $0 == go.write }
    return PendingShim(pid: pid, paths: paths, reportFD: report.read, goFD: go.write)
  }

  /// Runs `runtime start`: the container's process begins.
  @discardableResult
  public func start() throws -> ShimResponse { try call(ShimRequest(op: .start)) }

  public func state(execID: String? = nil) throws -> ShimResponse { try call(ShimRequest(op: .state, execID: execID)) }

  public func resize(rows: UInt16, cols: UInt16, execID: String? = nil) throws {
    try call(ShimRequest(op: .resize, execID: execID, rows: rows, cols: cols))
  }

  public func closeStdin(execID: String? = nil) throws { try call(ShimRequest(op: .closeStdin, execID: execID)) }

  public func shutdown() throws { try call(ShimRequest(op: .shutdown)) }

  /// Streams the process's output (and takes its stdin when `stdin`).
  /// `keepStdinOnHangUp`: see `ShimRequest.keepStdinOnHangUp` (for a client that can detach).
  public func attach(
    stdin: Bool, stdout: Bool = true, stderr: Bool = true, execID: String? = nil, keepStdinOnHangUp: Bool = false
  ) throws -> ShimAttachment {
    try stream(
      ShimRequest(
        op: .attach, execID: execID, stdin: stdin, stdout: stdout, stderr: stderr,
        keepStdinOnHangUp: keepStdinOnHangUp ? true : nil))
  }

  /// Starts an exec process (an OCI process JSON at `processPath`); the returned stream
  /// carries its output (and stdin when `stdin`). Its exit status: `wait(execID:)`.
  public func exec(execID: String, processPath: String, terminal: Bool, stdin: Bool, keepStdinOnHangUp: Bool = false)
    throws -> ShimAttachment
  {
    try stream(
      ShimRequest(
        op: .exec, execID: execID, stdin: stdin, processPath: processPath, terminal: terminal,
        keepStdinOnHangUp: keepStdinOnHangUp ? true : nil))
  }

  /// Blocks until the process has exited and its output is drained. For init, a shim
  /// that is already gone is answered from `exit.json`.
  public func wait(execID: String? = nil) throws -> ShimExitStatus {
    let response: ShimResponse
    do {
      response = try call(ShimRequest(op: .wait, execID: execID))
    } catch let error as ShimError {
      if case .request = error { throw error }
      return try recordedExit(or: error, execID: execID)
    } catch {
      return try recordedExit(or: error, execID: execID)
    }
    return ShimExitStatus(
      exitCode: response.exitCode ?? 255, exitedAt: response.exitedAt ?? "", oomKilled: response.oomKilled ?? false,
      pid: response.pid ?? 0)
  }

  /// `exit.json`, if the shim wrote it.
  public func exitStatus() -> ShimExitStatus? {
    guard let bytes = try? Files.read(paths.exitStatus) else { return nil }
    return try? JSON.decode(ShimExitStatus.self, from: bytes)
  }

  func recordedExit(or error: any Error, execID: String?) throws -> ShimExitStatus {
    if execID == nil || execID == "", let status = exitStatus() { return status }
    throw ShimError.unavailable("shim at \(paths.socket) is gone (\(error)) and left no exit status")
  }

  @discardableResult
  func call(_ request: ShimRequest) throws -> ShimResponse {
    let fd = try ShimSocket.connect(path: paths.socket)
    defer { FD.close(fd) }
    return try exchange(request, on: fd)
  }

  func stream(_ request: ShimRequest) throws -> ShimAttachment {
    let fd = try ShimSocket.connect(path: paths.socket)
    do {
      let response = try exchange(request, on: fd)
      return ShimAttachment(fd: fd, terminal: response.terminal ?? false, pid: response.pid ?? 0)
    } catch {
      FD.close(fd)
      throw error
    }
  }

  func exchange(_ request: ShimRequest, on fd: Int32) throws -> ShimResponse {
    try ShimSocket.sendAll(fd, ShimWire.controlMessage((try JSON.encode(request))))
    let header = try ShimSocket.readExactly(fd, 4)
    guard header.count == 4 else { throw ShimError.unavailable("shim closed the connection") }
    let length = Int(ShimWire.readBigEndian(header, at: 0))
    guard length <= ShimWire.maxControlMessage else {
      throw ShimError.protocolViolation("reply of \(length) bytes")
    }
    let body = try ShimSocket.readExactly(fd, length)
    guard body.count == length else { throw ShimError.unavailable("shim closed the connection mid-reply") }
    let response = try JSON.decode(ShimResponse.self, from: body)
    if let error = response.error { throw ShimError.request(error) }
    return response
  }
}
