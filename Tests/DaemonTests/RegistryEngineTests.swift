// Pull, push and login through berthd, with the real docker CLI and the berth CLI, against
// berth-registry on 127.0.0.1 (the registry server of this project, started as its own
// process): push shows docker's progress lines, a pull after rmi downloads it back with its
// RepoDigest, `docker run` of a missing image pulls it, `docker login` is refused with a
// wrong password and accepted with the right one.
import Foundation
import Testing

@Suite(.serialized) struct RegistryEngineTests {
  static var missing: String? {
    if let m = TestBerthd.missing { return m }
    if Integration.binary("berth-registry") == nil { return "needs the built berth-registry" }
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/htpasswd") { return "needs htpasswd (apache2-utils)" }
    return nil
  }

  /// berth-registry on a free 127.0.0.1 port; `stop()` kills it by pid.
  final class Registry {
    let process = Process()
    let port: Int
    let output: Pipe

    init(root: String, htpasswd: String? = nil) throws {
      guard let binary = Integration.binary("berth-registry") else { throw IntegrationError("no berth-registry") }
      process.executableURL = URL(fileURLWithPath: binary)
      process.arguments = ["serve", "127.0.0.1:0", "--root", root] + (htpasswd.map { ["--htpasswd", $0] } ?? [])
      output = Pipe()
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      // The first line: "listening on 127.0.0.1:PORT".
      var line = Data()
      while !line.contains(0x0a) {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
      }
      let text = String(decoding: line, as: UTF8.self)
      guard let portText = text.split(separator: "\n").first?.split(separator: ":").last, let p = Int(portText) else {
        process.terminate()
        throw IntegrationError("berth-registry did not say its port: \(text)")
      }
      port = p
    }

    func stop() {
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      Integration.awaitExit(process)
    }
  }

  @Test(.enabled(if: RegistryEngineTests.missing == nil, "needs root, busybox, docker, berth-registry, htpasswd"))
  func pushPullAndRunThroughBerthd() throws {
    let d = TestBerthd(tag: "regeng")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let registry = try Registry(root: d.dir + "/registry")
    defer { registry.stop() }
    let name = "127.0.0.1:\(registry.port)/test/busybox:v1"

    var (rc, out) = try Self.docker(d, "tag", "busybox", name)
    try #require(rc == 0, "tag: \(out)")
    (rc, out) = try Self.docker(d, "push", name)
    #expect(rc == 0 && out.contains("Pushed") && out.contains("v1: digest: sha256:"), "docker push: \(out)")
    let digest = out.split(separator: " ").first { $0.hasPrefix("sha256:") }.map(String.init) ?? "?"

    // Gone locally (both names, so the image's layers go too), then pulled back.
    (rc, out) = try Self.docker(d, "rmi", name, "busybox")
    #expect(rc == 0, "rmi: \(out)")
    (rc, out) = try Self.docker(d, "pull", name)
    #expect(
      rc == 0 && (out.contains("Pull complete") || out.contains("Already exists"))
        && out.contains("Downloaded newer image"), "pull: \(out)")
    #expect(out.contains("Digest: \(digest)"), "the pushed digest: \(digest)\n\(out)")
    (rc, out) = try Self.docker(d, "inspect", "-f", "{{json .RepoDigests}}", name)
    #expect(out.contains("127.0.0.1:\(registry.port)/test/busybox@\(digest)"), "RepoDigests: \(out)")
    (rc, out) = try Self.docker(d, "run", "--rm", name, "echo", "pulled")
    #expect(rc == 0 && out == "pulled\n", "run: \(out)")

    // `docker run` of a missing image pulls it first.
    (rc, out) = try Self.docker(d, "rmi", name)
    (rc, out) = try Self.docker(d, "run", "--rm", name, "echo", "auto")
    #expect(rc == 0 && out.contains("Unable to find image") && out.hasSuffix("auto\n"), "run pulls: \(out)")

    // The berth CLI pulls the same way.
    if let berth = Integration.binary("berth") {
      (rc, out) = try Integration.run([berth, "pull", name], env: d.environment)
      #expect(rc == 0 && out.contains("Status: ") && out.contains(name), "berth pull: \(out)")
    }
    // An image the registry does not have: a clear error, nothing stored.
    (rc, out) = try Self.docker(d, "pull", "127.0.0.1:\(registry.port)/test/nothing:v1")
    #expect(rc != 0 && out.lowercased().contains("not found"), "pull of a missing image: \(out)")
    _ = try Self.docker(d, "rmi", name)
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// The docker CLI with no credential helper to pick (Debian's secretservice one needs
  /// D-Bus): credentials go to config.json in the test's DOCKER_CONFIG.
  static func docker(_ d: TestBerthd, _ args: String..., stdin: Data? = nil) throws -> (Int32, String) {
    var env = d.environment
    env["PATH"] = "/usr/local/bin"
    return try Integration.run(["/usr/bin/timeout", "60", TestBerthd.dockerBinary] + args, env: env, stdin: stdin)
  }

  @Test(.enabled(if: RegistryEngineTests.missing == nil, "needs root, busybox, docker, berth-registry, htpasswd"))
  func loginThenPushToARegistryWithBasicAuth() throws {
    let d = TestBerthd(tag: "regauth")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let htpasswd = d.dir + "/htpasswd"
    var (rc, out) = try Integration.run(["/usr/bin/htpasswd", "-Bbc", htpasswd, "alice", "s3cret"])
    try #require(rc == 0, "htpasswd: \(out)")
    let registry = try Registry(root: d.dir + "/registry", htpasswd: htpasswd)
    defer { registry.stop() }
    let host = "127.0.0.1:\(registry.port)"
    let name = host + "/private/busybox:v1"
    _ = try Self.docker(d, "tag", "busybox", name)

    (rc, out) = try Self.docker(d, "push", name)
    #expect(rc != 0 && out.lowercased().contains("unauthorized"), "push without login: \(out)")
    (rc, out) = try Self.docker(d, "login", "-u", "alice", "--password-stdin", host, stdin: Data("wrong".utf8))
    #expect(rc != 0 && out.lowercased().contains("unauthorized"), "login with a wrong password: \(out)")
    (rc, out) = try Self.docker(d, "login", "-u", "alice", "--password-stdin", host, stdin: Data("s3cret".utf8))
    #expect(rc == 0 && out.contains("Login Succeeded"), "login: \(out)")
    (rc, out) = try Self.docker(d, "push", name)
    #expect(rc == 0 && out.contains("v1: digest: sha256:"), "push after login: \(out)")
    (rc, out) = try Self.docker(d, "rmi", name)
    (rc, out) = try Self.docker(d, "pull", name)
    #expect(rc == 0 && out.contains("Downloaded newer image"), "pull after login: \(out)")
    _ = try Self.docker(d, "rmi", name)
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }
}
