import Foundation
import LinuxOS
import OCI
import Testing

/// `create --handshake-fd N`: the runtime waits for a byte before it reads the bundle,
/// answers a byte once the container is created, and reads end of file as "called off".
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers, "needs root and busybox-static"))
struct CreateHandshakeTests {
  /// Starts `create --handshake-fd 3 <id>` in `bundle`; returns its pid and our end.
  func startCreate(_ id: String, _ bundle: TestBundle) throws -> (pid: pid_t, socket: Int32) {
    let (ours, theirs) = try FD.socketPair()
    let devNull = try FD.open("/dev/null", O_RDWR)
    defer {
      FD.close(theirs)
      FD.close(devNull)
    }
    let pid = try Processes.spawn(
      Fixtures.runtimeBinary,
      [
        "berth-runtime", "--root", bundle.stateRoot, "create", "--handshake-fd", "3", "--bundle", bundle.directory,
        id,
      ], environment: ["PATH=/usr/bin:/bin"], fds: [devNull, devNull, devNull, theirs])
    return (pid, ours)
  }

  @Test func createWaitsForTheGoAndReportsCreated() throws {
    let bundle = try TestBundle(name: "handshake")
    defer { bundle.cleanup() }
    try bundle.write(args: ["sleep", "300"])
    let id = TestBundle.uniqueID("hs")
    let (pid, socket) = try startCreate(id, bundle)
    defer { FD.close(socket) }
    usleep(200_000)
    // Nothing is created before the go, even with the bundle ready.
    #expect(Processes.isAlive(pid))
    #expect(!Files.exists(bundle.stateRoot + "/" + id))
    try FD.write(socket, [1])
    #expect(try FD.read(socket, max: 1) == [1])
    // Reported before the process ends; by then the container exists and waits for start.
    let state = try Fixtures.runtime(["state", id], root: bundle.stateRoot)
    #expect(state.stdout.contains("\"created\""), "\(state.stdout) \(state.stderr)")
    #expect(try Processes.wait(pid) == .exited(0))
    #expect(try Fixtures.runtime(["delete", "--force", id], root: bundle.stateRoot).status == 0)
  }

  @Test func endOfFileCallsTheCreateOff() throws {
    let bundle = try TestBundle(name: "handshake-off")
    defer { bundle.cleanup() }
    try bundle.write(args: ["sleep", "300"])
    let id = TestBundle.uniqueID("hsoff")
    let (pid, socket) = try startCreate(id, bundle)
    FD.close(socket)
    let exit = try Processes.wait(pid)
    #expect(exit != .exited(0))
    #expect(!Files.exists(bundle.stateRoot + "/" + id))
  }
}
