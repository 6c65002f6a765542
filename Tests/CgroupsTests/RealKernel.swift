import Foundation
import Glibc
import LinuxOS

@testable import Cgroups

/// Helpers for the tests that need root and a real cgroup file system. Every cgroup they
/// make is named berth-test-<random> and removed by the test, pass or fail.
enum RealKernel {
  static let mountInfo =
    (try? Files.readString("/proc/self/mountinfo")) ?? ""

  static var mode: CgroupMode { Cgroups.detectMode(mountInfo: mountInfo) }

  /// Root, and some cgroup hierarchy is mounted read-write.
  static var available: Bool {
    getuid() == 0
      && (CgroupMounts(mountInfo: mountInfo).hasV1Controllers
        || CgroupMounts(mountInfo: mountInfo).unified != nil)
  }

  /// The cgroup2 hierarchy of a hybrid host (for the eBPF device filter test).
  static var hybridUnifiedMount: String? {
    let mounts = CgroupMounts(mountInfo: mountInfo)
    guard getuid() == 0, mounts.mode == .hybrid, let unified = mounts.unified else { return nil }
    return unified.mountPoint
  }

  static func uniqueName() -> String {
    "berth-test-\(UInt32.random(in: 0...UInt32.max))"
  }

  /// Starts `argv` with a stdin pipe; the child blocks in `read` until `go` is called, so it
  /// can be moved into a cgroup before it does anything.
  final class Child {
    let process = Process()
    let stdin = Pipe()

    init(_ executable: String, _ arguments: [String]) throws {
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
      process.standardInput = stdin
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func go() {
      stdin.fileHandleForWriting.write(Data("go\n".utf8))
    }

    /// Waits up to `seconds`; true if it exited.
    func wait(seconds: Double) -> Bool {
      let deadline = Date().addingTimeInterval(seconds)
      while process.isRunning && Date() < deadline { usleep(10_000) }
      return !process.isRunning
    }

    /// SIGKILL by our own pid and reap.
    func kill() {
      if process.isRunning {
        Glibc.kill(pid, SIGKILL)
        process.waitUntilExit()
      }
    }
  }

  static func read(_ dir: String, _ file: String) -> String? {
    (try? String(contentsOfFile: dir + "/" + file, encoding: .utf8))?.trimmingCharacters(
      in: .whitespacesAndNewlines)
  }
}
