import JSONCoding
import Glibc
import LinuxOS

/// `berth-shim`'s command line.
///
/// - `berth-shim --state-dir D`: the shim for the container configured in `D/shim.json`,
///   as berthd starts it (`ShimClient.launch`: in its own session, the launch report on
///   fd 3). `--daemonized` is accepted for older launchers and means the same.
/// - `berth-shim launch --state-dir D [--hold]`: launches a shim for `D/shim.json` the way
///   berthd does, prints the `ShimLaunchReport` as one JSON line, and with `--hold`
///   then sleeps until killed (tests kill it to play a dying berthd).
public enum ShimCommand {
  /// The fd over which the shim reports readiness.
  static let readinessFD: Int32 = 3
  /// When open: the shim sets itself up, then waits for one byte here before it creates
  /// the container (`ShimClient.spawn` / `PendingShim.proceed`); EOF means give up.
  static let goFD: Int32 = 4

  public static func main(_ arguments: [String]) -> Never {
    PhaseTrace.mark("shim: main")
    let rest = Array(arguments.dropFirst())
    guard let stateIndex = rest.firstIndex(of: "--state-dir"), stateIndex + 1 < rest.count else {
      printError(usage)
      exit(2)
    }
    let stateDir = rest[stateIndex + 1]
    if rest.first == "launch" { launchHelper(stateDir: stateDir, hold: rest.contains("--hold")) }
    ShimDaemon.main(
      stateDir: stateDir, readinessFD: isOpen(readinessFD) ? readinessFD : -1, goFD: isOpen(goFD) ? goFD : -1)
  }

  static let usage = """
    usage: berth-shim --state-dir DIR            (started by berthd)
           berth-shim launch --state-dir DIR [--hold]
    """

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
