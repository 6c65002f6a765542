import JSONCoding
import Glibc
import LinuxOS

/// Runs the OCI runtime's verbs (runc's command line) and turns failures into the
/// runtime's own error message, read from its JSON `--log`.
struct RuntimeInvoker {
  let binary: String
  let root: String
  let logPath: String
  /// The environment of the shim and the runtime: PATH, and BERTH_TRACE only when set.
  static let environment =
    ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + PhaseTrace.environment

  /// Runs `runtime --root R --log L --log-format json <arguments>` to completion;
  /// `fds` become its stdin, stdout and stderr.
  func run(_ arguments: [String], fds: [Int32]) throws {
    let logOffset = Self.fileSize(logPath)
    let pid = try Processes.spawn(binary, commandLine(arguments), environment: Self.environment, fds: fds)
    try finish(pid, verb: arguments.first ?? "runtime", logOffset: logOffset)
  }

  /// The runtime's argv: its global flags, then `arguments`.
  func commandLine(_ arguments: [String]) -> [String] {
    [binary, "--root", root, "--log", logPath, "--log-format", "json"] + arguments
  }

  /// Waits for the runtime `pid`; throws its error (from the log written after
  /// `logOffset`) unless it succeeded.
  func finish(_ pid: pid_t, verb: String, logOffset: Int) throws {
    guard let exit = try Processes.wait(pid) else { throw ShimError.runtime("\(verb) did not finish") }
    guard exit != .exited(0) else { return }
    let message = lastError(since: logOffset) ?? "exited with status \(exit.code)"
    throw ShimError.runtime("\(verb) failed: \(message)")
  }

  /// Runs `create` with berth-runtime's handshake (`--handshake-fd`): the runtime starts at
  /// once, `whileStarting` runs meanwhile (the shim waits for berthd's go), then the runtime
  /// reads the bundle. Returns when the runtime reports the container created, without
  /// waiting for its exit (the shim reaps it with its other children); a runtime that
  /// fails ends without the report, and its error is thrown as `run` does.
  func create(_ arguments: [String], fds: [Int32], whileStarting: () throws -> Void) throws {
    let logOffset = Self.fileSize(logPath)
    let (shimEnd, runtimeEnd) = try FD.socketPair()
    defer { FD.close(shimEnd) }
    let argv = commandLine(["create", "--handshake-fd", "\(fds.count)"] + arguments.drop { $0 == "create" })
    let pid: pid_t
    do {
      pid = try Processes.spawn(binary, argv, environment: Self.environment, fds: fds + [runtimeEnd])
    } catch {
      FD.close(runtimeEnd)
      throw error
    }
    FD.close(runtimeEnd)
    do {
      try whileStarting()
      try ShimSocket.sendAll(shimEnd, [1])
    } catch {
      // The runtime reads end of file and ends without creating anything.
      shutdown(shimEnd, Int32(SHUT_RDWR))
      _ = try? Processes.wait(pid)
      throw error
    }
    if (try? FD.read(shimEnd, max: 1)) == [1] { return }
    try finish(pid, verb: "create", logOffset: logOffset)
    throw ShimError.runtime("create ended without creating the container")
  }

  /// The last `"level":"error"` message written to the log after `offset`.
  func lastError(since offset: Int) -> String? {
    struct Entry: Decodable {
      var level: String?
      var msg: String?
    }
    guard let bytes = try? Files.read(logPath), bytes.count > offset else { return nil }
    var found: String?
    for line in bytes[offset...].split(separator: 0x0a) {
      guard let entry = try? JSON.decode(Entry.self, from: Array(line)) else { continue }
      if entry.level == "error", let msg = entry.msg { found = msg }
    }
    return found
  }

  static func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
  }

  /// Reads a pid file the runtime wrote.
  static func readPID(_ path: String) throws -> Int32 {
    let text = String(try Files.readString(path).filter { !$0.isWhitespace })
    guard let pid = Int32(text), pid > 0 else { throw ShimError.runtime("pid file \(path) holds \"\(text)\"") }
    return pid
  }
}
