import Foundation
import Testing

@testable import LinuxOS

/// The start gate shared by `berth-runtime start` and the shim, against real fifos and
/// processes.
struct ExecFifoTests {
  static func withFifo(_ body: (String) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fifo = ExecFifo.path(runtimeRoot: directory, id: "c1")
    try FileManager.default.createDirectory(atPath: directory + "/c1", withIntermediateDirectories: true)
    #expect(mkfifo(fifo, 0o600) == 0)
    try body(fifo)
  }

  @Test func releasesAWaitingWriterAndRemovesTheFifo() throws {
    try Self.withFifo { fifo in
      // A writer blocked in open(O_WRONLY), as a created container's init is.
      let writer = try Processes.spawn(
        "/bin/sh", ["sh", "-c", "printf 0 > \(fifo); sleep 0.2"], environment: [], fds: [0, 1, 2])
      try ExecFifo.release(fifo, initPID: writer)
      #expect(!FileManager.default.fileExists(atPath: fifo))
      #expect(try Processes.wait(writer) == .exited(0))
    }
  }

  @Test func aDeadInitIsReportedNotWaitedForever() throws {
    try Self.withFifo { fifo in
      let gone = try Processes.spawn("/bin/true", ["true"], environment: [], fds: [0, 1, 2])
      _ = try Processes.wait(gone)
      #expect(throws: ExecFifoError.initExited) { try ExecFifo.release(fifo, initPID: gone) }
      #expect(FileManager.default.fileExists(atPath: fifo))
      #expect("\(ExecFifoError.initExited)" == "cannot start a container that has stopped")
    }
  }
}
