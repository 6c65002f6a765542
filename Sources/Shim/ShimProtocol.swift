/// # berth-shim: process model and socket protocol
///
/// berthd starts one `berth-shim` per container with `ShimClient.spawn` (then
/// `PendingShim.proceed`; `ShimClient.launch` does both). The shim must
/// outlive berthd, and nothing may `fork()` from Swift, so it is spawned (posix_spawn):
///
/// 1. berthd writes `<stateDir>/shim.json` (`ShimConfig`) and spawns
///    `berth-shim --state-dir D` in a new session, stdin/stdout on /dev/null, stderr
///    appended to `D/shim.log`, a CLOEXEC pipe's write end as fd 3 (the report) and another
///    pipe's read end as fd 4 (the go: the shim sets itself up while berthd mounts the
///    rootfs and writes the bundle, then waits for one byte there; EOF means give up). No parent-death
///    signal: when berthd dies the shim is reparented (to init or the nearest subreaper)
///    and carries on. While berthd lives, its `ChildReaper` collects the shim's exit.
/// 2. The shim becomes a child subreaper, blocks every signal into a signalfd,
///    writes `shim.pid`, listens on `shim.sock`, waits for the go, makes the container's stdio (pipes, or a
///    console socket that receives the pty master), runs `berth-runtime create`, and
///    writes one JSON `ShimLaunchReport` (its pid and the init pid, or the create error
///    read from the runtime's `log.json`) to fd 3 and closes it. berthd reads that pipe
///    to EOF: `launch` returns only once the container is created, or throws the error.
///
/// The container's init then waits on the runtime's exec fifo until a `start` request,
/// so berthd can attach before any output exists (docker's attach-then-start).
///
/// The shim is one synchronous, single-threaded poll(2) loop (no Dispatch, no Tasks)
/// over: the listener, the clients, the container's output pipes or pty master, its
/// stdin, and the signalfd (SIGCHLD → reap with `waitpid(-1, WNOHANG)`; the container
/// init is the shim's child because the shim is a subreaper). Output goes to the
/// json-file log (init only; docker does not log exec output) and to every attached
/// client. When a process has been reaped, its output is drained to EOF (at most
/// `drainTimeout` more), then for init `exit.json` is written atomically, waiters get
/// their reply and attach streams are closed after their buffered output is flushed.
/// Once init and every exec are finished and every client is flushed (or
/// `finishTimeout` passed), the shim removes `shim.sock` and exits. `exit.json` stays,
/// so a client that finds no shim reads the exit status from the file
/// (`ShimClient.wait` does that by itself). A `shutdown` request makes the shim exit
/// at once (for a container that was created and deleted without ever starting; the
/// delete kills init, which also makes the shim exit on its own).
///
/// ## Wire format (unix stream socket `<stateDir>/shim.sock`)
///
/// Control messages are length-prefixed JSON: `[u32 big-endian length][JSON]`, at most
/// `ShimWire.maxControlMessage` bytes. The client sends one `ShimRequest`; the shim
/// answers with one `ShimResponse` (`error` set on failure). A connection may carry
/// several requests in turn until one of them changes its mode:
///
/// - `start`: runs `berth-runtime start ID`; answers when it has returned.
/// - `attach {stdin, stdout, stderr, execID?}`: after the reply the connection streams.
///   Shim → client: output frames `[stream u8 (1 stdout, 2 stderr)][u32 BE length][bytes]`;
///   with a terminal, raw pty bytes without framing. Client → shim: raw stdin bytes
///   (only if `stdin` was asked for and the process has stdin); the client's EOF
///   (shutdown(SHUT_WR)) closes the container's stdin when the config says `stdinOnce`.
///   The shim closes the stream once the process's output reached EOF.
/// - `exec {execID, processPath, terminal, stdin}`: runs `berth-runtime exec --process F
///   --detach --pid-file … [--console-socket …]`; the reply carries the pid and the
///   connection becomes that exec's attach stream (stdout and stderr, stdin if asked),
///   exactly as after `attach`. Its exit status comes from `wait {execID}`.
/// - `resize {rows, cols, execID?}`: TIOCSWINSZ on the pty master.
/// - `wait {execID?}`: the reply comes when the process has exited and its output is
///   drained: `exitCode` (exit status, or 128 + signal), `exitedAt`, `oomKilled`.
/// - `state`: init pid, `created`/`running`/`exited`, exit code when exited.
/// - `closeStdin {execID?}`: closes the process's stdin (after pending input is written;
///   with a terminal it writes ^D).
/// - `shutdown`: replies, then the shim exits.
///
/// Files in `stateDir`: `shim.json` (config, by berthd), `shim.sock`, `shim.pid`,
/// `init.pid`, `exit.json` (`ShimExitStatus`), `log.json` (the runtime's `--log`),
/// `shim.log` (the shim's own stderr), `exec-<id>.pid`, transient `*.console.sock`.
public enum ShimOperation: String, Codable, Sendable {
  case start, attach, exec, resize, wait, state, closeStdin, shutdown
}

/// One control request from a client.
public struct ShimRequest: Codable, Sendable, Equatable {
  public var op: ShimOperation
  /// The exec process addressed; nil (or empty) means the container's init.
  public var execID: String?
  public var stdin: Bool?
  public var stdout: Bool?
  public var stderr: Bool?
  public var rows: UInt16?
  public var cols: UInt16?
  /// `exec`: an OCI process JSON file (runc's `exec --process`).
  public var processPath: String?
  public var terminal: Bool?
  /// `attach`/`exec` with stdin: the end of the client's stdin is a half-close (shutdown
  /// of its write side); a hang-up (both ways at once) is a detach and leaves the
  /// process's stdin open, under stdinOnce too.
  public var keepStdinOnHangUp: Bool?

  public init(
    op: ShimOperation, execID: String? = nil, stdin: Bool? = nil, stdout: Bool? = nil, stderr: Bool? = nil,
    rows: UInt16? = nil, cols: UInt16? = nil, processPath: String? = nil, terminal: Bool? = nil,
    keepStdinOnHangUp: Bool? = nil
  ) {
    self.op = op
    self.execID = execID
    self.stdin = stdin
    self.stdout = stdout
    self.stderr = stderr
    self.rows = rows
    self.cols = cols
    self.processPath = processPath
    self.terminal = terminal
    self.keepStdinOnHangUp = keepStdinOnHangUp
  }
}

/// The state of a process the shim runs.
public enum ShimProcessStatus: String, Codable, Sendable {
  case created, running, exited
}

/// The shim's answer to one request; `error` is set when the request failed.
public struct ShimResponse: Codable, Sendable, Equatable {
  public var error: String?
  public var shimPid: Int32?
  public var pid: Int32?
  public var status: ShimProcessStatus?
  public var terminal: Bool?
  public var exitCode: Int32?
  public var exitedAt: String?
  public var oomKilled: Bool?

  public init(error: String? = nil) { self.error = error }
}

/// What the real shim reports to `launch` over its readiness pipe.
public struct ShimLaunchReport: Codable, Sendable, Equatable {
  public var shimPid: Int32?
  public var initPid: Int32?
  public var error: String?

  public init(shimPid: Int32? = nil, initPid: Int32? = nil, error: String? = nil) {
    self.shimPid = shimPid
    self.initPid = initPid
    self.error = error
  }
}

/// Which output stream a frame carries.
public enum ShimStream: UInt8, Sendable {
  case stdout = 1
  case stderr = 2
}

/// Encoding and decoding of control messages and output frames.
public enum ShimWire {
  public static let maxControlMessage = 1 << 20
  public static let frameHeaderSize = 5

  /// `[u32 BE length][payload]`.
  public static func controlMessage(_ payload: [UInt8]) -> [UInt8] {
    bigEndian(UInt32(payload.count)) + payload
  }

  /// `[stream][u32 BE length][bytes]`.
  public static func outputFrame(_ stream: ShimStream, _ bytes: some Collection<UInt8>) -> [UInt8] {
    var frame: [UInt8] = [stream.rawValue]
    frame.reserveCapacity(frameHeaderSize + bytes.count)
    frame += bigEndian(UInt32(bytes.count))
    frame += bytes
    return frame
  }

  /// Removes and returns one complete control message from the front of `buffer`,
  /// or nil when it holds only part of one.
  public static func takeControlMessage(from buffer: inout [UInt8]) throws -> [UInt8]? {
    guard buffer.count >= 4 else { return nil }
    let length = Int(readBigEndian(buffer, at: 0))
    guard length <= maxControlMessage else {
      throw ShimError.protocolViolation("control message of \(length) bytes is larger than \(maxControlMessage)")
    }
    guard buffer.count >= 4 + length else { return nil }
    let message = Array(buffer[4..<(4 + length)])
    buffer.removeFirst(4 + length)
    return message
  }

  public static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
  }

  public static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
      | UInt32(bytes[offset + 3])
  }
}
