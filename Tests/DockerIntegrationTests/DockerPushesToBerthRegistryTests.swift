import Foundation
import Testing

/// A real dockerd pushes to and pulls from `berth-registry` on 127.0.0.1 (dockerd takes
/// 127.0.0.0/8 as an insecure registry by default). The push exercises dockerd's streamed
/// PATCH, with neither Content-Range nor Content-Length.
///
/// Needs what the other DockerIntegrationTests need, and a built berth-registry next to the
/// test bundle (or $BERTH_REGISTRY).
@Suite(
  .serialized,
  .enabled(if: DockerEnvironment.isRoot, "DockerIntegrationTests need root: they start their own dockerd"),
  .enabled(
    if: DockerEnvironment.dockerd != nil && DockerEnvironment.dockerCLI != nil,
    "DockerIntegrationTests need dockerd and the docker CLI (apt-get install docker.io)"),
  .enabled(
    if: BerthRegistryProcess.binary != nil, "berth-registry is not built (swift build --product berth-registry)"),
  .isolatedDockerd,
  .timeLimit(.minutes(3))
)
struct DockerPushesToBerthRegistryTests {
  let daemon: IsolatedDockerd

  init() throws {
    daemon = try IsolatedDockerd.required()
  }

  @Test func pushRemovePullBack() throws {
    let registry = try BerthRegistryProcess.start(root: daemon.root + "/registry")
    defer { registry.stop() }
    let remote = "127.0.0.1:\(registry.port)/berth/busybox:push"
    let tag = try daemon.docker(["tag", IsolatedDockerd.image, remote])
    #expect(tag.status == 0, "\(tag)")
    let push = try daemon.docker(["push", remote], timeout: 120)
    #expect(push.status == 0, "\(push)\n\(registry.log())")
    let pushedDigest = push.stdout.split(separator: " ").first { $0.hasPrefix("sha256:") }.map(String.init)
    #expect(pushedDigest != nil, "\(push)")

    let rmi = try daemon.docker(["rmi", remote])
    #expect(rmi.status == 0, "\(rmi)")
    #expect(try daemon.docker(["image", "inspect", remote]).status != 0)
    let pull = try daemon.docker(["pull", remote], timeout: 120)
    #expect(pull.status == 0, "\(pull)\n\(registry.log())")
    if let pushedDigest { #expect(pull.stdout.contains("Digest: \(pushedDigest)"), "\(pull)") }
    let inspect = try daemon.docker(["image", "inspect", "--format", "{{json .RepoDigests}}", remote])
    if let pushedDigest { #expect(inspect.stdout.contains(pushedDigest), "\(inspect)") }
    // The image that came back is the same image.
    let original = try daemon.docker(["image", "inspect", "--format", "{{.Id}}", IsolatedDockerd.image])
    let pulled = try daemon.docker(["image", "inspect", "--format", "{{.Id}}", remote])
    #expect(original.stdout == pulled.stdout, "\(original) \(pulled)")
    _ = try daemon.docker(["rmi", remote])
  }

  @Test(.enabled(if: Command.which("htpasswd") != nil, "needs htpasswd (apache2-utils)"))
  func loginWithHtpasswdThenPush() throws {
    let dir = daemon.root + "/registry-auth"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let line = try Command.run(Command.which("htpasswd") ?? "htpasswd", ["-Bbn", "alice", "s3cret"])
    #expect(line.status == 0, "\(line)")
    try line.stdout.write(toFile: dir + "/htpasswd", atomically: true, encoding: .utf8)
    let registry = try BerthRegistryProcess.start(root: dir + "/root", extra: ["--htpasswd", dir + "/htpasswd"])
    defer { registry.stop() }
    let host = "127.0.0.1:\(registry.port)"
    // Credentials in the private CLI config file: an entry in "auths" keeps the CLI from
    // picking a desktop credential helper (docker-credential-secretservice) by itself.
    let cliConfig = daemon.root + "/cli/config.json"
    if !FileManager.default.fileExists(atPath: cliConfig) {
      try #"{"auths": {"placeholder.invalid": {}}}"#.write(toFile: cliConfig, atomically: true, encoding: .utf8)
    }
    let remote = "\(host)/private/box:1"
    #expect(try daemon.docker(["tag", IsolatedDockerd.image, remote]).status == 0)
    let anonymous = try daemon.docker(["push", remote], timeout: 120)
    #expect(anonymous.status != 0, "\(anonymous)")
    let wrong = try daemon.docker(["login", "-u", "alice", "-p", "wrong", host])
    #expect(wrong.status != 0, "\(wrong)")
    let login = try daemon.docker(["login", "-u", "alice", "-p", "s3cret", host])
    #expect(login.status == 0, "\(login)")
    let push = try daemon.docker(["push", remote], timeout: 120)
    #expect(push.status == 0, "\(push)\n\(registry.log())")
    _ = try daemon.docker(["rmi", remote])
    let pull = try daemon.docker(["pull", remote], timeout: 120)
    #expect(pull.status == 0, "\(pull)")
    _ = try daemon.docker(["logout", host])
    _ = try daemon.docker(["rmi", remote])
  }

  @Test func pushToAnotherRepositoryMountsTheLayer() throws {
    let registry = try BerthRegistryProcess.start(root: daemon.root + "/registry-mount")
    defer { registry.stop() }
    for name in ["first/box:1", "second/box:1"] {
      let remote = "127.0.0.1:\(registry.port)/\(name)"
      #expect(try daemon.docker(["tag", IsolatedDockerd.image, remote]).status == 0)
      let push = try daemon.docker(["push", remote], timeout: 120)
      #expect(push.status == 0, "\(push)\n\(registry.log())")
      if name.hasPrefix("second") { #expect(push.stdout.contains("Mounted from first/box"), "\(push)") }
      _ = try daemon.docker(["rmi", remote])
    }
  }
}

/// `berth-registry serve 127.0.0.1:0` as a child process; the port comes from its first line.
final class BerthRegistryProcess: @unchecked Sendable {
  let process: Process
  let port: Int
  let logPath: String

  static var binary: String? {
    if let path = ProcessInfo.processInfo.environment["BERTH_REGISTRY"] { return path }
    guard let runtime = DockerEnvironment.runtimeBinary else { return nil }
    let candidate = URL(fileURLWithPath: runtime).deletingLastPathComponent().appendingPathComponent("berth-registry")
      .path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
  }

  struct StartFailed: Error, CustomStringConvertible { var description: String }

  private init(process: Process, port: Int, logPath: String) {
    self.process = process
    self.port = port
    self.logPath = logPath
  }

  static func start(root: String, extra: [String] = []) throws -> BerthRegistryProcess {
    guard let binary else { throw StartFailed(description: "berth-registry not found") }
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    let logPath = root + ".log"
    FileManager.default.createFile(atPath: logPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["serve", "127.0.0.1:0", "--root", root] + extra
    let out = Pipe()
    process.standardOutput = out
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // The first line: "listening on 127.0.0.1:PORT".
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let portText = text.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines),
      let port = Int(portText)
    else {
      process.terminate()
      process.waitUntilExit()
      throw StartFailed(description: "berth-registry did not say its port: \(text)")
    }
    return BerthRegistryProcess(process: process, port: port, logPath: logPath)
  }

  func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// SIGTERM, then SIGKILL if it is still there after five seconds.
  func stop() {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }
}
