// End to end with the real docker CLI (and the Python SDK when installed) against the
// built berthd on a private socket, data root and exec root. Needs root, busybox, the
// built berthd, berth-runtime and berth-shim next to the test bundle, and
// /usr/local/bin/docker.
import Foundation
import Testing

@Suite(.serialized) struct DockerCLITests {
  static let dockerBinary = "/usr/local/bin/docker"

  static var missing: String? {
    if let m = Integration.missingRequirement(binaries: ["berthd", "berth-runtime", "berth-shim"]) { return m }
    if !FileManager.default.isExecutableFile(atPath: dockerBinary) { return "needs \(dockerBinary)" }
    return nil
  }

  /// A berthd on its own socket and directories; `stop()` cleans up everything.
  final class Daemon {
    let dir: String
    let socket: String
    let process = Process()
    let log: String

    init() throws {
      dir = Integration.tempDir("cli")
      socket = dir + "/berth.sock"
      log = dir + "/berthd.log"
      guard let berthd = Integration.binary("berthd") else { throw IntegrationError("berthd not built") }
      process.executableURL = URL(fileURLWithPath: berthd)
      process.arguments = [
        "--data-root", dir + "/data", "--exec-root", dir + "/exec", "-H", "unix://" + socket, "--bridge", "none",
        "--cgroup-parent", Integration.cgroupParent(for: dir),
      ]
      FileManager.default.createFile(atPath: log, contents: nil)
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
      process.standardOutput = handle
      process.standardError = handle
      try process.run()
      for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { usleep(50_000) }
      guard FileManager.default.fileExists(atPath: socket) else {
        stop()
        throw IntegrationError("berthd did not create \(socket): \(logText)")
      }
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    var environment: [String: String] {
      var env = ProcessInfo.processInfo.environment
      env["DOCKER_HOST"] = "unix://" + socket
      env["DOCKER_CONFIG"] = dir + "/docker-config"
      return env
    }

    @discardableResult
    func docker(_ args: String..., stdin: Data? = nil) throws -> (Int32, String) {
      try Integration.run(
        ["/usr/bin/timeout", "60", DockerCLITests.dockerBinary] + args, env: environment, stdin: stdin)
    }

    /// SIGTERM to berthd, then every container deleted through the runtime, mounts gone,
    /// the directory removed.
    func stop() {
      if process.isRunning {
        kill(process.processIdentifier, SIGTERM)
        Integration.awaitExit(process)
        if process.isRunning {
          kill(process.processIdentifier, SIGKILL)
          Integration.awaitExit(process)
        }
      }
      let runtimeRoot = dir + "/exec/runtime"
      if let runtime = Integration.binary("berth-runtime") {
        for id in (try? FileManager.default.contentsOfDirectory(atPath: runtimeRoot)) ?? [] {
          _ = try? Integration.run([runtime, "--root", runtimeRoot, "delete", "-f", id])
        }
      }
      Integration.destroy(dir)
    }
  }

  @Test(.enabled(if: DockerCLITests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func dockerCLIWalkthrough() throws {
    let d = try Daemon()
    defer { d.stop() }

    var (rc, out) = try d.docker("version")
    #expect(rc == 0, "docker version: \(out)")
    #expect(out.contains("Server: Berth Engine"))
    (rc, out) = try d.docker("info")
    #expect(rc == 0 && out.contains("Storage Driver: overlay2") && out.contains("Cgroup Driver: cgroupfs"), "\(out)")

    let tar = try Integration.busyboxTar(in: d.dir)
    (rc, out) = try d.docker("import", tar, "busybox:latest")
    #expect(rc == 0 && out.hasPrefix("sha256:"), "docker import: \(out)")
    (rc, out) = try d.docker("images")
    #expect(rc == 0 && out.contains("busybox") && out.contains("latest"), "docker images: \(out)")

    (rc, out) = try d.docker("run", "--rm", "busybox", "echo", "hi")
    #expect(rc == 0 && out == "hi\n", "docker run --rm: \(rc) \(out)")
    (rc, out) = try d.docker("run", "busybox", "sh", "-c", "exit 3")
    #expect(rc == 3, "docker run exit 3: \(rc) \(out)")

    (rc, out) = try d.docker("run", "-d", "--name", "m", "busybox", "sleep", "1000")
    #expect(rc == 0, "docker run -d: \(out)")
    (rc, out) = try d.docker("ps")
    #expect(rc == 0 && out.contains(" m\n") && out.contains("Up "), "docker ps: \(out)")
    (rc, out) = try d.docker("exec", "m", "ls", "/")
    #expect(rc == 0 && out.contains("bin") && out.contains("etc"), "docker exec: \(out)")
    (rc, out) = try d.docker("exec", "m", "sh", "-c", "exit 5")
    #expect(rc == 5, "docker exec exit code: \(rc) \(out)")
    (rc, out) = try d.docker("exec", "-i", "m", "cat", stdin: Data("through stdin\n".utf8))
    #expect(rc == 0 && out == "through stdin\n", "docker exec -i: \(out)")
    (rc, out) = try d.docker("logs", "m")
    #expect(rc == 0 && out.isEmpty, "docker logs: \(out)")
    (rc, out) = try d.docker("top", "m")
    #expect(rc == 0 && out.contains("PID") && out.contains("sleep 1000"), "docker top: \(out)")
    (rc, out) = try d.docker("stats", "--no-stream", "m")
    #expect(rc == 0 && out.contains("CPU %") && out.contains("MEM USAGE / LIMIT") && out.contains(" m "), "\(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.Name}} {{.State.Status}} {{json .NetworkSettings.Networks}}", "m")
    #expect(rc == 0 && out == "/m running {}\n", "docker inspect: \(out)")
    (rc, out) = try d.docker("update", "--memory", "64m", "--memory-swap", "128m", "m")
    #expect(rc == 0, "docker update: \(out)")
    (rc, out) = try d.docker("pause", "m")
    #expect(rc == 0, "docker pause: \(out)")
    (rc, out) = try d.docker("unpause", "m")
    #expect(rc == 0, "docker unpause: \(out)")
    (rc, out) = try d.docker("stop", "-t", "1", "m")
    #expect(rc == 0, "docker stop: \(out)")
    (rc, out) = try d.docker("rm", "-f", "m")
    #expect(rc == 0, "docker rm -f: \(out)")

    (rc, out) = try d.docker("save", "-o", d.dir + "/saved.tar", "busybox")
    #expect(rc == 0, "docker save: \(out)")

    if let python = SDKTests.python {
      let script = """
        import docker
        c = docker.DockerClient(base_url="unix://\(d.socket)")
        print(c.containers.run("busybox", "echo hi", remove=True))
        """
      (rc, out) = try Integration.run(["/usr/bin/timeout", "60", python, "-c", script])
      #expect(rc == 0 && out == "b'hi\\n'\n", "python SDK: \(out)")
    }

    // Remove every stopped container, then the image.
    (rc, out) = try d.docker("ps", "-aq")
    for id in out.split(separator: "\n") { try d.docker("rm", String(id)) }
    (rc, out) = try d.docker("rmi", "busybox")
    #expect(rc == 0 && out.contains("Untagged: busybox:latest") && out.contains("Deleted: sha256:"), "rmi: \(out)")
    (rc, out) = try d.docker("load", "-i", d.dir + "/saved.tar")
    #expect(rc == 0 && out.contains("Loaded image: busybox:latest"), "docker load: \(out)")
    (rc, out) = try d.docker("rmi", "busybox")
    #expect(rc == 0, "second rmi: \(out)")
    #expect(Integration.mounts(under: d.dir).isEmpty)
  }
}
