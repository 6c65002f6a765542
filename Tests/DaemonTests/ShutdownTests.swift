// SIGTERM and SIGINT shut berthd down cleanly (exit status 0, its socket removed) and
// leave the containers running for the next berthd, as dockerd with live restore does.
// Needs root, busybox, /usr/local/bin/docker and the built binaries.
import Foundation
import Testing

@Suite(.serialized) struct ShutdownTests {
  @Test(
    .enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"),
    arguments: [SIGTERM, SIGINT])
  func signalStopsTheDaemonNotTheContainers(signal: Int32) throws {
    let d = TestBerthd(tag: "sig")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker("run", "-d", "--name", "keeps", "busybox", "sleep", "1000")
    try #require(rc == 0, "docker run -d: \(out)")
    let process = try #require(d.process)
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0, "berthd did not exit cleanly")
    #expect(d.logText.contains("shutting down"), "log: \(d.logText)")
    #expect(!FileManager.default.fileExists(atPath: d.socket), "the socket was left behind")
    #expect(d.shimProcesses.count == 1, "the container's shim went away with berthd")

    try d.start()
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}}", "keeps")
    #expect(rc == 0 && out == "running\n", "after the restart: \(out)")
    (rc, out) = try d.docker("rm", "-f", "keeps")
    #expect(rc == 0, "docker rm -f: \(out)")
  }
}
