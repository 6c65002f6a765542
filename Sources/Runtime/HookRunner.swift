import JSONCoding
import Glibc
import LinuxOS
import OCI

/// Runs OCI hooks: each gets the container state as JSON on stdin; a non-zero exit
/// or a timeout fails the phase.
public enum HookRunner {
  public static func run(_ hooks: [Hook], phase: String, state: ContainerState) throws {
    guard !hooks.isEmpty else { return }
    let json = (try JSON.encode(state))
    for (index, hook) in hooks.enumerated() {
      let (readEnd, writeEnd) = try FD.pipe()
      let pid: pid_t
      do {
        pid = try Processes.spawn(
          hook.path, hook.args ?? [hook.path], environment: hook.env ?? [], fds: [readEnd, 1, 2])
      } catch {
        FD.close(readEnd)
        FD.close(writeEnd)
        throw RuntimeError("error running \(phase) hook #\(index) \(hook.path): \(error)")
      }
      FD.close(readEnd)
      // The hook may exit without reading stdin; a broken pipe is not its failure.
      signal(SIGPIPE, SIG_IGN)
      try? FD.write(writeEnd, json)
      FD.close(writeEnd)
      let exit = try waitWithTimeout(pid, seconds: hook.timeout)
      guard let exit else {
        kill(pid, SIGKILL)
        _ = try? Processes.wait(pid)
        throw RuntimeError("error running \(phase) hook #\(index) \(hook.path): timeout after \(hook.timeout ?? 0)s")
      }
      if exit != .exited(0) {
        throw RuntimeError("error running \(phase) hook #\(index) \(hook.path): \(describe(exit))")
      }
    }
  }

  static func describe(_ exit: Processes.Exit) -> String {
    switch exit {
    case .exited(let code): "exit status \(code)"
    case .signaled(let signal): "signal: \(signal)"
    }
  }

  /// Waits for `pid`; nil when `seconds` passed first.
  static func waitWithTimeout(_ pid: pid_t, seconds: Int?) throws -> Processes.Exit? {
    guard let seconds, seconds > 0 else { return try Processes.wait(pid) }
    let deadline = Monotonic.now() + UInt64(seconds) * 1_000_000_000
    while Monotonic.now() < deadline {
      if let exit = try Processes.wait(pid, options: WNOHANG) { return exit }
      usleep(5_000)
    }
    return nil
  }
}

/// Monotonic nanoseconds.
public enum Monotonic {
  public static func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
  }
}
