import CBerth
import JSONCoding
import Glibc
import LinuxOS

/// The shim: sets itself up, creates the container, reports
/// to `launch`, then runs the event loop until the container is gone. Single-threaded.
final class ShimDaemon {
  static let drainTimeout: UInt64 = 2_000_000_000
  static let finishTimeout: UInt64 = 5_000_000_000

  let config: ShimConfig
  let paths: ShimPaths
  let runtime: RuntimeInvoker
  let devNull: Int32
  var listener: Int32 = -1
  var signalFD: Int32 = -1
  var processes: [String: ManagedProcess] = [:]
  var connections: [ClientConnection] = []
  var log: JSONLogWriter?
  var dns: DNSResponder?
  var exitRequested = false
  var finishDeadline: UInt64?

  init(config: ShimConfig) throws {
    self.config = config
    paths = ShimPaths(stateDir: config.stateDir)
    runtime = RuntimeInvoker(binary: config.runtime, root: config.runtimeRoot, logPath: paths.runtimeLog)
    devNull = try FD.open("/dev/null", O_RDWR)
  }

  /// Runs the shim whose state directory is `stateDir`; `readinessFD` (or -1) gets the
  /// `ShimLaunchReport`. With a `goFD`, the container is created only once a byte
  /// arrives there: berthd starts the shim while it still prepares the bundle.
  static func main(stateDir: String, readinessFD: Int32, goFD: Int32) -> Never {
    let daemon: ShimDaemon
    do {
      let bytes = try Files.read(ShimPaths(stateDir: stateDir).config)
      daemon = try ShimDaemon(config: try JSON.decode(ShimConfig.self, from: bytes))
      try daemon.setUp()
      PhaseTrace.mark("shim: set up")
      // With a go fd the runtime starts now and reads the bundle once berthd says go.
      let awaitGo: (() throws -> Void)? =
        goFD < 0
        ? nil
        : {
          let go = (try? FD.read(goFD, max: 1)) ?? []
          FD.close(goFD)
          guard !go.isEmpty else { throw ShimError.unavailable("berthd gave up before the container was created") }
          PhaseTrace.mark("shim: go")
        }
      let initProcess: ManagedProcess
      if daemon.config.createHandshake ?? true {
        initProcess = try daemon.createInit(whileRuntimeStarts: awaitGo)
      } else {
        try awaitGo?()
        initProcess = try daemon.createInit()
      }
      PhaseTrace.mark("shim: runtime created the container")
      report(ShimLaunchReport(shimPid: getpid(), initPid: initProcess.pid), to: readinessFD)
      // Start-up garbage (config decoding, the runtime's spawn) goes back to the kernel:
      // one shim per container makes every idle page count.
      trimHeap()
    } catch {
      printError("berth-shim: \(error)")
      unlink(ShimPaths(stateDir: stateDir).socket)
      unlink(ShimPaths(stateDir: stateDir).shimPID)
      report(ShimLaunchReport(error: "\(error)"), to: readinessFD)
      exit(1)
    }
    daemon.run()
    daemon.tearDown()
    exit(0)
  }

  /// glibc's malloc_trim(0) (not in Swift's Glibc module; a direct call, which a static
  /// executable's dlsym could not find).
  static func trimHeap() {
    _ = berth_malloc_trim()
  }

  static func report(_ report: ShimLaunchReport, to fd: Int32) {
    guard fd >= 0 else { return }
    if let bytes = try? JSON.encode(report) { try? FD.write(fd, bytes) }
    FD.close(fd)
  }

  func setUp() throws {
    try ProcessAttributes.setChildSubreaper()
    signalFD = try sys("signalfd") { berth_signalfd_all() }
    try sys("chdir", paths.stateDir) { chdir(paths.stateDir) }
    // State under the exec root does not outlive a reboot: renamed into place (whole after
    // any process crash) but not fsynced, which costs milliseconds on the start path.
    try Files.writeAtomically(paths.shimPID, Array("\(getpid())".utf8), durable: false)
    listener = try ShimSocket.listen(path: paths.socket)
    if let resolver = config.dns { dns = try DNSResponder(socket: resolver.fd, tablePath: resolver.table) }
    if let logPath = config.logPath, !logPath.isEmpty {
      log = try JSONLogWriter(path: logPath, maxSize: config.logMaxSize, maxFiles: config.logMaxFiles)
    }
  }

  func tearDown() {
    unlink(paths.socket)
    unlink(paths.shimPID)
    for connection in connections { FD.close(connection.fd) }
    connections = []
    for process in processes.values { process.closeAll() }
    FD.close(listener)
  }

  /// `runtime create`: the container's init then waits for `start`.
  /// `whileRuntimeStarts`: run while berth-runtime starts, before it reads the bundle
  /// (its create handshake).
  func createInit(whileRuntimeStarts: (() throws -> Void)? = nil) throws -> ManagedProcess {
    let process = ManagedProcess(key: "", terminal: config.terminal, stdinOnce: config.stdinOnce)
    try launch(process, stdin: config.openStdin, consoleName: "init", whileRuntimeStarts: whileRuntimeStarts) {
      console in
      ["create", "--bundle", config.bundle, "--pid-file", paths.initPID] + console + [config.id]
    }
    process.pid = try RuntimeInvoker.readPID(paths.initPID)
    process.oomProbe = OOMProbe(pid: process.pid)
    processes[""] = process
    return process
  }

  /// Runs a runtime verb that starts `process` with stdio the shim holds: pipes, or a
  /// console socket over which the runtime sends the pty master.
  func launch(
    _ process: ManagedProcess, stdin: Bool, consoleName: String, whileRuntimeStarts: (() throws -> Void)? = nil,
    arguments: ([String]) -> [String]
  ) throws {
    var runtimeFDs = [devNull, devNull, devNull]
    var containerEnds: [Int32] = []
    var console: Int32 = -1
    let consolePath = paths.consoleSocket(consoleName)
    defer {
      for fd in containerEnds { FD.close(fd) }
      if console >= 0 {
        FD.close(console)
        unlink(consolePath)
      }
    }
    do {
      if process.terminal {
        console = try ShimSocket.listen(path: consolePath)
      } else {
        if stdin {
          let pipe = try FD.pipe()
          runtimeFDs[0] = pipe.read
          containerEnds.append(pipe.read)
          process.stdinFD = pipe.write
        }
        for stream in [ShimStream.stdout, .stderr] {
          let pipe = try FD.pipe()
          runtimeFDs[Int(stream.rawValue)] = pipe.write
          containerEnds.append(pipe.write)
          process.outputs.append((pipe.read, stream))
        }
      }
      let runtimeArguments = arguments(process.terminal ? ["--console-socket", consolePath] : [])
      if let whileRuntimeStarts {
        try runtime.create(runtimeArguments, fds: runtimeFDs, whileStarting: whileRuntimeStarts)
      } else {
        try runtime.run(runtimeArguments, fds: runtimeFDs)
      }
      if console >= 0 {
        guard let connection = try ShimSocket.accept(console) else {
          throw ShimError.runtime("the runtime did not send the pty master over \(consolePath)")
        }
        defer { FD.close(connection) }
        let master = try FD.receiveFD(over: connection).fd
        process.master = master
        process.outputs = [(master, .stdout)]
        if stdin { process.stdinFD = master }
      }
      for output in process.outputs { try ShimSocket.setNonBlocking(output.fd) }
      if process.stdinFD >= 0 { try ShimSocket.setNonBlocking(process.stdinFD) }
    } catch {
      process.closeAll()
      throw error
    }
  }

  /// Reaps every child that exited; records the exits of the processes it manages.
  func reapChildren() {
    while true {
      var status: Int32 = 0
      let pid = waitpid(-1, &status, WNOHANG)
      if pid < 0 && errno == EINTR { continue }
      if pid <= 0 { return }
      guard let process = processes.values.first(where: { $0.pid == pid && $0.exit == nil }) else { continue }
      process.exit = Processes.Exit(waitStatus: status)
      process.exitedAt = LogTimestamp.now()
      process.oomKilled = process.oomProbe?.oomKilled ?? false
      process.drainDeadline = LogTimestamp.monotonicNanoseconds() + Self.drainTimeout
      PhaseTrace.mark("shim: reaped \(process.key.isEmpty ? "init" : process.key)")
      finishIfDrained(process)
    }
  }

  func finishIfDrained(_ process: ManagedProcess) {
    if process.exit != nil && !process.finished && process.outputs.isEmpty { finish(process) }
  }

  /// The process has exited and its output is drained (or the drain timed out): record
  /// the exit, answer waiters, end attach streams.
  func finish(_ process: ManagedProcess) {
    for output in process.outputs {
      for _ in 0..<64 {
        guard case .data(let bytes) = ShimSocket.readAvailable(output.fd) else { break }
        deliver(bytes, of: process, stream: output.stream)
      }
    }
    process.closeAll()
    process.finished = true
    if process.key.isEmpty {
      log?.flush()
      let status = ShimExitStatus(
        exitCode: process.exit?.code ?? 255, exitedAt: process.exitedAt ?? LogTimestamp.now(),
        oomKilled: process.oomKilled, pid: process.pid)
      do {
        try Files.writeAtomically(paths.exitStatus, (try JSON.encode(status)), durable: false)
      } catch {
        printError("berth-shim: writing \(paths.exitStatus): \(error)")
      }
      finishDeadline = LogTimestamp.monotonicNanoseconds() + Self.finishTimeout
      PhaseTrace.mark("shim: exit recorded")
    }
    for connection in connections {
      if connection.attachedKey() == process.key { connection.closeWhenFlushed = true }
      if connection.mode == .waiting(key: process.key) {
        reply(process.response(), to: connection)
        connection.closeWhenFlushed = true
      }
    }
  }

  /// Sends output to the log (init only) and to every client attached to that stream.
  func deliver(_ bytes: [UInt8], of process: ManagedProcess, stream: ShimStream) {
    if process.key.isEmpty { log?.write(stream, bytes) }
    var framed: [UInt8]?
    for connection in connections where connection.wants(stream, of: process.key) {
      if process.terminal {
        connection.output += bytes
      } else {
        if framed == nil { framed = ShimWire.outputFrame(stream, bytes) }
        connection.output += framed ?? []
      }
      if connection.output.count > ClientConnection.maxBufferedOutput {
        printError("berth-shim: dropping a client that does not read its output")
        drop(connection)
      }
    }
  }

  func reply(_ response: ShimResponse, to connection: ClientConnection) {
    let payload = (try? JSON.encode(response)) ?? Array(#"{"error":"encoding"}"#.utf8)
    connection.output += ShimWire.controlMessage(payload)
  }

  /// Closes a client; an attached client that fed stdin ends it when stdinOnce says so.
  func drop(_ connection: ClientConnection) {
    guard let index = connections.firstIndex(where: { $0 === connection }) else { return }
    connections.remove(at: index)
    if !connection.inputClosed { stdinEnded(connection, hungUp: true) }
    FD.close(connection.fd)
  }

  /// `hungUp`: the connection ended both ways at once rather than with its write side
  /// first; a client attached with `keepStdinOnHangUp` (berthd, which can detach) leaves
  /// stdin open then.
  func stdinEnded(_ connection: ClientConnection, hungUp: Bool) {
    connection.inputClosed = true
    guard !(hungUp && connection.keepsStdinOnHangUp), case .attached(let key, true, _, _) = connection.mode,
      let process = processes[key], process.stdinOnce
    else { return }
    process.requestCloseStdin()
  }
}
