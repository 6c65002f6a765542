// Drives the Engine directly (no HTTP): import busybox, create, start, wait, logs, rm, and
// checks nothing is left behind. Needs root, /bin/busybox and the built runtime and shim.
import EngineAPI
import Foundation
import Images
import LinuxOS
import Testing

@testable import Daemon

@Suite(.serialized) struct EngineRunTests {
  struct Fixture {
    let dir: String
    let engine: Engine
    let config: EngineConfig

    init(_ tag: String) async throws {
      dir = Integration.tempDir(tag)
      guard let runtime = Integration.binary("berth-runtime"), let shim = Integration.binary("berth-shim") else {
        throw IntegrationError("binaries missing")
      }
      var config = EngineConfig(
        dataRoot: dir + "/data", execRoot: dir + "/exec", runtimeBinary: runtime, shimBinary: shim)
      config.cgroupParent = Integration.cgroupParent(for: dir)
      self.config = config
      engine = try Engine(config: config)
      let tar = try Integration.busyboxTar(in: dir)
      let fd = open(tar, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { throw IntegrationError("open \(tar)") }
      defer { close(fd) }
      try engine.context.images.importImage(fd: fd, reference: try ImageReference(parsing: "busybox:latest"))
    }

    /// Deletes leftover containers through the runtime, unmounts, removes the directory.
    /// No mount, cgroup, process, runtime or shim state, or container directory of `id`.
    func expectNothingLeft(of id: String) {
      #expect(Integration.mounts(under: dir).isEmpty)
      #expect(Integration.cgroups(named: id).isEmpty)
      #expect(Integration.processes(mentioning: id).isEmpty)
      #expect(!FileManager.default.fileExists(atPath: config.runtimeRoot + "/" + id))
      #expect(!FileManager.default.fileExists(atPath: config.shimState(id)))
      #expect(!FileManager.default.fileExists(atPath: config.containersRoot + "/" + id))
    }

    func destroy() {
      let runtimeRoot = config.runtimeRoot
      for id in (try? FileManager.default.contentsOfDirectory(atPath: runtimeRoot)) ?? [] {
        _ = try? Integration.run([config.runtimeBinary, "--root", runtimeRoot, "delete", "-f", id])
      }
      Integration.destroy(dir)
    }
  }

  static func create(_ engine: Engine, _ cmd: [String], name: String? = nil) async throws -> String {
    var cfg = ContainerConfig()
    cfg.image = "busybox"
    cfg.cmd = cmd
    return try await engine.containers.createContainer(name: name, request: ContainerCreateRequest(config: cfg)).id
  }

  @Test(.enabled(if: Integration.missingRequirement() == nil, "needs root, busybox and built binaries"))
  func runWaitLogsRemoveLeavesNothing() async throws {
    let f = try await Fixture("run")
    defer { f.destroy() }
    let engine = f.engine
    let id = try await Self.create(engine, ["sh", "-c", "echo hi; exit 3"])
    let wait = try await engine.containers.waitContainer(id: id, condition: .nextExit)
    try await engine.containers.startContainer(id: id)
    let result = try await wait.result()
    #expect(result.statusCode == 3)

    var logs = ""
    let out = try await engine.containers.containerLogs(
      id: id, options: ContainerLogsOptions(stdout: true, stderr: true))
    for try await chunk in out.chunks { logs += String(decoding: chunk.bytes, as: UTF8.self) }
    #expect(logs == "hi\n")

    try await engine.containers.removeContainer(id: id, options: ContainerRemoveOptions(force: false))
    f.expectNothingLeft(of: id)
  }
}
