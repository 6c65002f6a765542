// A real berthd for the berth CLI's end-to-end tests: private data root, exec root, socket
// and cgroup parent under /tmp; `stop()` removes the containers, the daemon, its mounts,
// the cgroup parent and the directory.
import Foundation
import Testing

final class LocalBerthd {
  let dir: String
  let socket: String
  var host: String { "unix://\(socket)" }
  private let cgroupParent: String
  private let process = Process()

  /// Starts berthd and waits (up to 10 s) until it answers `berth version`.
  init(berthd: String, tag: String) throws {
    dir = "/tmp/berth-\(tag)-\(getpid())"
    socket = dir + "/berth.sock"
    cgroupParent = "/berth-test-\(tag)-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    process.executableURL = URL(fileURLWithPath: berthd)
    process.arguments = [
      "--data-root", "\(dir)/data", "--exec-root", "\(dir)/exec", "-H", "unix://\(socket)", "--bridge", "none",
      "--cgroup-parent", cgroupParent,
    ]
    FileManager.default.createFile(atPath: "\(dir)/berthd.log", contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: "\(dir)/berthd.log")
    process.standardError = FileHandle(forWritingAtPath: "\(dir)/berthd.log")
    try process.run()
    var up = false
    for _ in 0..<100 where !up {
      up = FileManager.default.fileExists(atPath: socket) && runCLI(["version"], host: host).code == 0
      if !up { usleep(100_000) }
    }
    guard up else {
      stop()
      throw TestFailure("berthd did not serve the API on \(socket) within 10 s")
    }
  }

  /// Imports a busybox-static rootfs made here (never downloaded) as busybox:latest.
  func importBusybox() throws {
    let make = Process()
    make.executableURL = URL(fileURLWithPath: "/bin/sh")
    make.arguments = [
      "-c", "scripts/make-busybox-rootfs.sh \(dir)/rootfs >/dev/null && tar -C \(dir)/rootfs -cf \(dir)/busybox.tar .",
    ]
    make.currentDirectoryURL = packageRoot()
    try make.run()
    make.waitUntilExit()
    guard make.terminationStatus == 0 else { throw TestFailure("make-busybox-rootfs.sh failed") }
    let imported = runCLI(["import", "\(dir)/busybox.tar", "busybox:latest"], host: host)
    guard imported.code == 0 else { throw TestFailure("berth import: \(imported.stderr)") }
  }

  func stop() {
    for id in runCLI(["ps", "-aq"], host: host).stdout.split(separator: "\n") {
      _ = runCLI(["rm", "-f", String(id)], host: host)
    }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    unmountEverything(under: dir)
    try? FileManager.default.removeItem(atPath: dir)
    for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
      rmdir("/sys/fs/cgroup/\(hierarchy)\(cgroupParent)")
    }
  }
}

struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
