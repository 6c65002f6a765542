import CBerth
import Glibc

/// Starting, waiting for and signalling processes.
public enum Processes {
  /// How a process ended.
  public enum Exit: Equatable, Sendable {
    case exited(Int32)
    case signaled(Int32)

    public init(waitStatus status: Int32) {
      let signal = status & 0x7f
      self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// The shell's convention: the exit code, or 128 + signal.
    public var code: Int32 {
      switch self {
      case .exited(let code): code
      case .signaled(let signal): 128 + signal
      }
    }
  }

  /// Starts a program through the C spawn helper (never forks from Swift).
  /// `fds[i]` becomes the child's fd i; everything else is closed on exec.
  public static func spawn(
    _ path: String, _ arguments: [String], environment: [String], fds: [Int32] = [0, 1, 2],
    execFD: Int32 = -1, newSession: Bool = false, controllingTTY: Int32 = -1,
    workingDirectory: String? = nil, parentDeathSignal: Int32 = 0
  ) throws -> pid_t {
    var pid: pid_t = 0
    let argv = CStrings(arguments)
    let envp = CStrings(environment)
    let err: Int32 = fds.withUnsafeBufferPointer { fdBuffer in
      path.withCString { cPath in
        withOptionalCString(workingDirectory) { cwd in
          var attr = berth_spawn_attr(
            path: cPath, exec_fd: execFD, argv: argv.pointer, envp: envp.pointer,
            fds: fdBuffer.baseAddress, nfds: Int32(fdBuffer.count), new_session: newSession ? 1 : 0,
            controlling_tty: controllingTTY, cwd: cwd, parent_death_signal: parentDeathSignal)
          return berth_spawn(&attr, &pid)
        }
      }
    }
    if err != 0 { throw SystemError("spawn", errno: err, path) }
    return pid
  }

  /// Waits for a child, retrying EINTR.
  public static func wait(_ pid: pid_t, options: Int32 = 0) throws -> Exit? {
    var status: Int32 = 0
    let r = try sys("waitpid", "\(pid)") { waitpid(pid, &status, options) }
    return r == 0 ? nil : Exit(waitStatus: status)
  }

  /// Runs a program to completion and returns how it ended.
  public static func run(_ path: String, _ arguments: [String], environment: [String], fds: [Int32] = [0, 1, 2]) throws
    -> Exit
  {
    let pid = try spawn(path, arguments, environment: environment, fds: fds)
    guard let exit = try wait(pid) else { throw SystemError("waitpid", errno: ECHILD, path) }
    return exit
  }

  /// Whether `pid` exists (a zombie counts as existing).
  public static func isAlive(_ pid: pid_t) -> Bool {
    kill(pid, 0) == 0 || Glibc.errno == EPERM
  }

  /// The process start time (field 22 of /proc/PID/stat), to tell a pid from a reused one.
  public static func startTime(_ pid: pid_t) -> UInt64? {
    guard let stat = try? Files.readString("/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the comm field, field 3 (state) is at index 0, so field 22 is at index 19.
    guard fields.count > 19 else { return nil }
    return UInt64(fields[19])
  }

  /// The process state letter (R, S, D, Z, T, …) from /proc/PID/stat.
  public static func stateLetter(_ pid: pid_t) -> Character? {
    guard let stat = try? Files.readString("/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    return stat[stat.index(after: close)...].split(separator: " ").first?.first
  }
}

/// A NULL-terminated C string array that lives as long as this value.
final class CStrings {
  let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
  private let count: Int

  init(_ strings: [String]) {
    count = strings.count
    pointer = .allocate(capacity: strings.count + 1)
    for (i, s) in strings.enumerated() { pointer[i] = strdup(s) }
    pointer[strings.count] = nil
  }

  deinit {
    for i in 0..<count { free(pointer[i]) }
    pointer.deallocate()
  }
}

func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
  guard let string else { return body(nil) }
  return string.withCString { body($0) }
}
