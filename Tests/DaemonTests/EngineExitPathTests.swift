// The fast run path's behaviour: attachers get all output and are let go when the container
// is removed; `--rm` leaves nothing once `wait removed` answers (with a private or a host
// pid namespace); a container is started again while its last run is still being deleted
// from the runtime; network files lost to a power cut are written again at start.
// Needs root, /bin/busybox and the built runtime and shim (except the unit tests).
import EngineAPI
import Foundation
import LinuxOS
import Synchronization
import Testing

@testable import Daemon

/// A hijacked stream that keeps what the engine writes and sends no stdin.
final class CollectingStream: HijackedStream {
  let written = Mutex<[UInt8]>([])
  func read() async throws -> [UInt8]? { nil }
  func write(_ bytes: [UInt8]) async throws { written.withLock { $0 += bytes } }
  func closeWrite() async {}
  /// The payloads of the 8-byte-header frames, concatenated.
  var payload: String {
    var bytes = written.withLock { $0 }[...]
    var out: [UInt8] = []
    while bytes.count >= 8 {
      let header = Array(bytes.prefix(8))
      let size = header[4...7].reduce(0) { $0 << 8 | Int($1) }
      out += bytes.dropFirst(8).prefix(size)
      bytes = bytes.dropFirst(8 + size)
    }
    return String(decoding: out, as: UTF8.self)
  }
}

@Suite(.serialized) struct EngineExitPathTests {
  typealias Fixture = EngineRunTests.Fixture

  static func create(_ engine: Engine, _ cmd: [String], host: HostConfig? = nil) async throws -> String {
    var cfg = ContainerConfig()
    cfg.image = "busybox"
    cfg.cmd = cmd
    return try await engine.containers.createContainer(
      name: nil, request: ContainerCreateRequest(config: cfg, hostConfig: host)
    )
    .id
  }

  static let attach = ContainerAttachOptions(stream: true, stdout: true, stderr: true)

  @Test(.enabled(if: Integration.missingRequirement() == nil, "needs root, busybox and built binaries"))
  func autoRemoveAttachedRunLeavesNothingWhenRemovedIsAnswered() async throws {
    let f = try await Fixture("exit-rm")
    defer { f.destroy() }
    let engine = f.engine
    for pidMode in [nil, "host"] {
      // With the host's pid namespace a background process outlives the init: the
      // runtime's delete must kill it before the rootfs goes.
      let cmd =
        pidMode == nil
        ? ["sh", "-c", "echo out; echo err >&2; exit 4"] : ["sh", "-c", "sleep 30 >/dev/null 2>&1 & echo out"]
      let id = try await Self.create(engine, cmd, host: HostConfig(autoRemove: true, pidMode: pidMode))
      let stream = CollectingStream()
      let attached = Task { try await engine.containers.attachContainer(id: id, options: Self.attach, stream: stream) }
      let wait = try await engine.containers.waitContainer(id: id, condition: .removed)
      try await engine.containers.startContainer(id: id)
      try await attached.value
      let result = try await wait.result()
      #expect(result.statusCode == (pidMode == nil ? 4 : 0))
      #expect(stream.payload == (pidMode == nil ? "out\nerr\n" : "out\n"))
      f.expectNothingLeft(of: id)
    }
  }

  @Test(.enabled(if: Integration.missingRequirement() == nil, "needs root, busybox and built binaries"))
  func startsAgainRightAfterTheExitIsReported() async throws {
    let f = try await Fixture("exit-again")
    defer { f.destroy() }
    let engine = f.engine
    let id = try await Self.create(engine, ["sh", "-c", "echo run; exit 2"])
    for _ in 0..<3 {
      let wait = try await engine.containers.waitContainer(id: id, condition: .nextExit)
      try await engine.containers.startContainer(id: id)
      #expect(try await wait.result().statusCode == 2)
    }
    var logs = ""
    let out = try await engine.containers.containerLogs(
      id: id, options: ContainerLogsOptions(stdout: true, stderr: true))
    for try await chunk in out.chunks { logs += String(decoding: chunk.bytes, as: UTF8.self) }
    #expect(logs == "run\nrun\nrun\n")
    try await engine.containers.removeContainer(id: id, options: ContainerRemoveOptions(force: false))
    f.expectNothingLeft(of: id)
  }

  @Test(.enabled(if: Integration.missingRequirement() == nil, "needs root, busybox and built binaries"))
  func attacherOfAContainerRemovedBeforeStartIsLetGo() async throws {
    let f = try await Fixture("exit-detach")
    defer { f.destroy() }
    let engine = f.engine
    let id = try await Self.create(engine, ["true"])
    let stream = CollectingStream()
    let attached = Task { try await engine.containers.attachContainer(id: id, options: Self.attach, stream: stream) }
    // The attacher registers on the engine's actor; remove once it waits for a start.
    while await engine.containers.launchWaiters[id] == nil { await Task.yield() }
    try await engine.containers.removeContainer(id: id, options: ContainerRemoveOptions(force: false))
    try await attached.value
    #expect(stream.payload.isEmpty)
    f.expectNothingLeft(of: id)
  }

  /// `--rm` containers are written without fsync; restore removes what a machine crash can
  /// leave of them: a record that is not running, and a rootfs snapshot without a record.
  @Test(.enabled(if: Integration.missingRequirement() == nil, "needs root, busybox and built binaries"))
  func restoreRemovesAutoRemoveLeftovers() async throws {
    let f = try await Fixture("exit-restore")
    defer { f.destroy() }
    let autoRemoved = try await Self.create(f.engine, ["true"], host: HostConfig(autoRemove: true))
    let kept = try await Self.create(f.engine, ["true"])
    let stray = ContainerArea.snapshotKey(String(repeating: "ab", count: 32))
    _ = try f.engine.context.images.snapshots.prepare(stray, durable: false)

    let restarted = try Engine(config: f.config)
    await restarted.restore()
    #expect((try? restarted.context.containers.get(autoRemoved)) == nil)
    #expect(restarted.context.images.snapshots.stat(ContainerArea.snapshotKey(autoRemoved)) == nil)
    #expect(!FileManager.default.fileExists(atPath: f.config.containersRoot + "/" + autoRemoved))
    #expect(restarted.context.images.snapshots.stat(stray) == nil)
    #expect((try? restarted.context.containers.get(kept)) != nil)
    #expect(restarted.context.images.snapshots.stat(ContainerArea.snapshotKey(kept)) != nil)
    try await restarted.containers.removeContainer(id: kept, options: ContainerRemoveOptions(force: true))
  }

  @Test func networkFilesLostToAPowerCutAreWrittenAgain() throws {
    let dir = Integration.tempDir("netfiles")
    defer { try? Files.removeTree(dir) }
    var settings = ContainerSettings(image: "busybox")
    settings.hostname = "box"
    try ContainerArea.writeNetworkFiles(dir: dir, settings: settings, hostname: "box")
    // Intact files (even ones a container changed) are left alone.
    try Files.writeAtomically(dir + "/hosts", Array("edited\n".utf8))
    try ContainerArea.restoreNetworkFiles(dir: dir, settings: settings)
    #expect(try Files.readString(dir + "/hosts") == "edited\n")
    // Empty or missing (what a crash before writeback leaves) are written again.
    try Files.writeAtomically(dir + "/hostname", [])
    unlink(dir + "/resolv.conf")
    try ContainerArea.restoreNetworkFiles(dir: dir, settings: settings)
    #expect(try Files.readString(dir + "/hostname") == "box\n")
    #expect(Files.exists(dir + "/resolv.conf"))
    #expect(try Files.readString(dir + "/hosts").contains("box"))
  }

  @Test func pidNamespaceDecidesWhetherTheRuntimeDeleteMayOverlap() {
    var s = ContainerSettings(image: "busybox")
    #expect(ContainerArea.diesWithInit(s))
    for mode in ["private", "shareable"] {
      s.pidMode = mode
      #expect(ContainerArea.diesWithInit(s))
    }
    for mode in ["host", "container:abc"] {
      s.pidMode = mode
      #expect(!ContainerArea.diesWithInit(s))
    }
  }
}
