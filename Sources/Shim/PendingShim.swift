import Glibc
import JSONCoding
import LinuxOS

/// A shim that is setting itself up and waits for the go to create the container
/// (`ShimClient.spawn`). Call `proceed`, or `abandon`; `abandon` after a `proceed` that
/// threw does nothing more. Used from one thread at a time.
public final class PendingShim: @unchecked Sendable {
  public let pid: Int32
  let paths: ShimPaths
  private var reportFD: Int32
  private var goFD: Int32
  /// The pid went to `ChildReaper` (once only: a second adoption could reap a reused pid).
  private var handedOver = false

  init(pid: Int32, paths: ShimPaths, reportFD: Int32, goFD: Int32) {
    self.pid = pid
    self.paths = paths
    self.reportFD = reportFD
    self.goFD = goFD
  }

  /// Lets the shim create the container, and returns once it is created; throws the
  /// runtime's create error otherwise.
  public func proceed() throws -> ShimProcess {
    defer { finish() }
    // A shim that already died makes this write fail (EPIPE); the report says why.
    _ = try? FD.write(goFD, [1])
    FD.close(goFD)
    goFD = -1
    let bytes = try FD.readAll(reportFD)
    guard !bytes.isEmpty else {
      throw ShimError.unavailable("berth-shim exited without reporting; see \(paths.shimLog)")
    }
    let report = try JSON.decode(ShimLaunchReport.self, from: bytes)
    if let error = report.error { throw ShimError.runtime(error) }
    guard let shimPid = report.shimPid, let initPid = report.initPid else {
      throw ShimError.protocolViolation("launch report without pids")
    }
    return ShimProcess(pid: shimPid, initPid: initPid, stateDir: paths.stateDir)
  }

  /// Tells the shim to exit without creating anything (the bundle could not be made).
  public func abandon() {
    finish()
  }

  private func finish() {
    guard !handedOver else { return }
    handedOver = true
    if goFD >= 0 { FD.close(goFD) }
    goFD = -1
    if reportFD >= 0 {
      // The shim closes its end as it exits: waiting for that here keeps its files from
      // racing the caller's clean-up of the state directory.
      _ = try? FD.readAll(reportFD)
      FD.close(reportFD)
    }
    reportFD = -1
    ChildReaper.shared.adopt(pid)
  }
}
