import JSONCoding
import Glibc
import LinuxOS

/// `berth-shim`'s command line.
///
/// - `berth-shim --state-dir D`: what berthd runs (see `ShimClient.launch`); it spawns
///   the real shim and exits at once.
/// - `berth-shim --daemonized --state-dir D`: the real shim.
/// - `berth-shim launch --state-dir D [--hold]`: launches a shim for `D/shim.json` the way
///   berthd does, prints the `ShimLaunchReport` as one JSON line, and with `--hold`
///   then sleeps until killed (tests kill it to play a dying berthd).
public enum ShimCommand {
  /// The fd over which the real shim reports readiness.
  static let readinessFD: Int32 = 3

  public static func main(_ arguments: [String]) -> Never {
    PhaseTrace.mark("shim: main")
    let rest = Array(arguments.dropFirst())
    guard let stateIndex = rest.firstIndex(of: "--state-dir"), stateIndex + 1 < rest.count else {
      printError(usage)
      exit(2)
    }
    let stateDir = rest[stateIndex + 1]
    if rest.contains("--daemonized") {
      ShimDaemon.main(stateDir: stateDir, readinessFD: isOpen(readinessFD) ? readinessFD : -1)
    }
    if rest.first == "launch" { launchHelper(stateDir: stateDir, hold: rest.contains("--hold")) }
    daemonize(stateDir: stateDir)
  }

  static let usage = """
    usage: berth-shim --state-dir DIR            (started by berthd)
           berth-shim launch --state-dir DIR [--hold]
    """

  /// Spawns the real shim in a new session and exits, so it is reparented away from berthd.
  static func daemonize(stateDir: String) -> Never {
    let readiness = isOpen(readinessFD) ? readinessFD : -1
    do {
      let devNull = try FD.open("/dev/null", O_RDWR)
      let shimLog = try FD.open(ShimPaths(stateDir: stateDir).shimLog, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
      _ = try Processes.spawn(
        "/proc/self/exe", ["berth-shim", "--daemonized", "--state-dir", stateDir],
        environment: RuntimeInvoker.environment, fds: [devNull, devNull, shimLog, readiness], newSession: true,
        workingDirectory: stateDir)
      exit(0)
    } catch {
      printError("berth-shim: starting the shim for \(stateDir): \(error)")
      ShimDaemon.report(ShimLaunchReport(error: "starting berth-shim: \(error)"), to: readiness)
      exit(1)
    }
  }

  static func launchHelper(stateDir: String, hold: Bool) -> Never {
    do {
      let bytes = try Files.read(ShimPaths(stateDir: stateDir).config)
      let config = try JSON.decode(ShimConfig.self, from: bytes)
      guard let binary = SelfExecutable.path() else {
        throw ShimError.unavailable("cannot resolve /proc/self/exe")
      }
      let shim = try ShimClient.launch(config, shimBinary: binary)
      let report = ShimLaunchReport(shimPid: shim.pid, initPid: shim.initPid)
      try FD.write(1, (try JSON.encode(report)) + [0x0a])
    } catch {
      printError("berth-shim launch: \(error)")
      exit(1)
    }
    while hold { pause() }
    exit(0)
  }

  static func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) >= 0 }
}
