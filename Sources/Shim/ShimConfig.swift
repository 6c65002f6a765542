/// What berthd tells a shim, written as `<stateDir>/shim.json` before launching it.
public struct ShimConfig: Codable, Sendable, Equatable {
  /// The container id (the runtime's id).
  public var id: String
  /// The OCI bundle directory (absolute).
  public var bundle: String
  /// The OCI runtime binary (berth-runtime or runc).
  public var runtime: String
  /// The runtime's `--root`.
  public var runtimeRoot: String
  /// Where the shim keeps its socket, pid files, exit status and the runtime's log.
  public var stateDir: String
  /// The container's json-file log; nil writes no log (docker's `--log-driver none`).
  public var logPath: String?
  public var terminal: Bool
  public var openStdin: Bool
  /// Close the container's stdin when the first attached client that sent stdin ends it.
  public var stdinOnce: Bool
  /// json-file `max-size` in bytes; 0 means unlimited.
  public var logMaxSize: Int64
  /// json-file `max-file`: how many files to keep, counting the current one (≥ 1).
  public var logMaxFiles: Int
  /// The runtime's exec fifo (`ExecFifo`), when berthd lets the shim start the container
  /// itself: opening the fifo is all `runtime start` does for a spec without poststart
  /// hooks, and it saves a runtime process on every start. Nil: `runtime start`.
  public var execFifo: String?
  /// The runtime speaks berth-runtime's `create --handshake-fd` (nil: it does). Other
  /// runtimes (runc, crun) are started with a plain `create` once berthd says go.
  public var createHandshake: Bool?
  /// The container's resolver (user networks): the shim answers on this socket.
  public var dns: ShimDNS?

  public init(
    id: String, bundle: String, runtime: String, runtimeRoot: String, stateDir: String, logPath: String?,
    terminal: Bool = false, openStdin: Bool = false, stdinOnce: Bool = false, logMaxSize: Int64 = 0,
    logMaxFiles: Int = 1, execFifo: String? = nil, createHandshake: Bool? = nil, dns: ShimDNS? = nil
  ) {
    self.id = id
    self.bundle = bundle
    self.runtime = runtime
    self.runtimeRoot = runtimeRoot
    self.stateDir = stateDir
    self.logPath = logPath
    self.terminal = terminal
    self.openStdin = openStdin
    self.stdinOnce = stdinOnce
    self.logMaxSize = logMaxSize
    self.logMaxFiles = logMaxFiles
    self.execFifo = execFifo
    self.createHandshake = createHandshake
    self.dns = dns
  }
}

/// The embedded resolver's socket (one of the fds berthd hands the shim at spawn) and the
/// table of names berthd keeps for the container.
public struct ShimDNS: Codable, Sendable, Equatable {
  /// The fd number in the shim (ShimClient.spawn's held fds start at 5).
  public var fd: Int32
  public var table: String

  public init(fd: Int32, table: String) {
    self.fd = fd
    self.table = table
  }
}

/// The files in a shim's state directory.
public struct ShimPaths: Sendable, Equatable {
  public let stateDir: String

  public init(stateDir: String) { self.stateDir = stateDir }

  public var config: String { "\(stateDir)/shim.json" }
  public var socket: String { "\(stateDir)/shim.sock" }
  public var shimPID: String { "\(stateDir)/shim.pid" }
  public var initPID: String { "\(stateDir)/init.pid" }
  public var exitStatus: String { "\(stateDir)/exit.json" }
  public var runtimeLog: String { "\(stateDir)/log.json" }
  public var shimLog: String { "\(stateDir)/shim.log" }
  public func execPID(_ execID: String) -> String { "\(stateDir)/exec-\(execID).pid" }
  public func consoleSocket(_ name: String) -> String { "\(stateDir)/\(name).console.sock" }
}

/// How a container's init ended, as `exit.json` records it.
public struct ShimExitStatus: Codable, Sendable, Equatable {
  /// The exit status, or 128 + the signal that killed it.
  public var exitCode: Int32
  /// RFC 3339 with nanoseconds, UTC.
  public var exitedAt: String
  /// Whether the memory cgroup's OOM killer killed a process of the container.
  public var oomKilled: Bool
  public var pid: Int32

  public init(exitCode: Int32, exitedAt: String, oomKilled: Bool, pid: Int32) {
    self.exitCode = exitCode
    self.exitedAt = exitedAt
    self.oomKilled = oomKilled
    self.pid = pid
  }
}
