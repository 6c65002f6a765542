// Runs an OCI runtime's verbs (kill, delete, ps, pause, resume, update, state) through the
// safe spawn path and collects their output.
import LinuxOS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

struct RuntimeCommand: Sendable {
  var binary: String
  var root: String
  /// berth-runtime: berthd deletes its containers in-process (the Runtime library), which
  /// is valid for its own state directory only; any other runtime by its command line.
  var inProcess = true

  struct Result: Sendable {
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]
    var stderrText: String {
      String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    }
  }

  /// Runs `<runtime> --root <root> args…` to completion (on the calling thread).
  func run(_ args: [String], stdin: [UInt8]? = nil) throws -> Result {
    try Self.capture(binary, [binary, "--root", root] + args, stdin: stdin)
  }

  /// Runs `binary` with `argv` (argv[0] included) to completion and collects its output.
  static func capture(_ binary: String, _ argv: [String], stdin: [UInt8]? = nil) throws -> Result {
    let out = try FD.pipe()
    let err = try FD.pipe()
    let input = try FD.pipe()
    let pid: pid_t
    do {
      pid = try Processes.spawn(
        binary, argv,
        environment: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + PhaseTrace.environment,
        fds: [input.read, out.write, err.write])
    } catch {
      for fd in [out.read, out.write, err.read, err.write, input.read, input.write] { FD.close(fd) }
      throw error
    }
    FD.close(out.write)
    FD.close(err.write)
    FD.close(input.read)
    if let stdin { try? FD.write(input.write, stdin) }
    FD.close(input.write)
    // Small outputs: read stderr after stdout (ps and state output fit the pipe buffer's
    // worth of interleaving; stderr is read fully afterwards).
    let stdout = (try? FD.readAll(out.read)) ?? []
    let stderr = (try? FD.readAll(err.read)) ?? []
    FD.close(out.read)
    FD.close(err.read)
    let exit = try Processes.wait(pid)
    return Result(status: exit?.code ?? 255, stdout: stdout, stderr: stderr)
  }

  /// Runs and throws a system error with the runtime's last stderr line on failure.
  @discardableResult
  func check(_ args: [String], stdin: [UInt8]? = nil) throws -> Result {
    let r = try run(args, stdin: stdin)
    guard r.status == 0 else {
      let name = binary.split(separator: "/").last.map(String.init) ?? binary
      throw DaemonError.system("\(name) \(args.first ?? ""): \(r.stderrText)")
    }
    return r
  }

  /// `check` on a running container whose init is `pid`: when the runtime fails because
  /// the process has just exited (its exit not recorded yet), dockerd's 409 instead of a 500.
  func checkRunning(_ args: [String], pid: Int32, id: String, stdin: [UInt8]? = nil) throws -> Result {
    do {
      return try check(args, stdin: stdin)
    } catch {
      let state = Processes.stateLetter(pid)
      guard pid <= 0 || state == nil || state == "Z" else { throw error }
      throw DaemonError.conflict("Container \(id) is not running")
    }
  }
}
