import Foundation
import Testing

let dockerCLI = "/usr/local/bin/docker"

/// Runs the real docker CLI against the socket; returns (exit status, stdout, stderr).
func runDocker(_ args: [String], socket: String) async throws -> (Int32, String, String) {
  try await offThread {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: dockerCLI)
    p.arguments = args
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("docker-config-\(UUID().uuidString)")
    p.environment = [
      "DOCKER_HOST": "unix://\(socket)", "DOCKER_CONFIG": home.path, "PATH": "/usr/bin:/bin", "HOME": home.path,
    ]
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try? FileManager.default.removeItem(at: home)
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: dockerCLI), "needs the docker CLI"))
struct DockerCLITests {
  @Test func versionAndPS() async throws {
    try await withServer { sock, _ in
      let (status, out, err) = try await runDocker(["version", "--format", "{{.Server.APIVersion}}"], socket: sock)
      #expect(status == 0, "stderr: \(err)")
      #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "1.47")

      let ps = try await runDocker(["ps"], socket: sock)
      #expect(ps.0 == 0, "stderr: \(ps.2)")
      let lines = ps.1.split(separator: "\n")
      #expect(lines.first?.hasPrefix("CONTAINER ID") == true)
      #expect(lines.count == 2)
      #expect(lines.last?.contains("c0ffee00c0ff") == true)
      #expect(lines.last?.contains("Up 10 seconds") == true)
      #expect(lines.last?.hasSuffix("web") == true)
    }
  }

  @Test func logsAreDemultiplexed() async throws {
    try await withServer { sock, _ in
      let (status, out, err) = try await runDocker(["logs", "c1"], socket: sock)
      #expect(status == 0, "stderr: \(err)")
      #expect(out == "hello\n")
      #expect(err == "oops\n")
    }
  }

  /// create → attach (hijacked) → wait → start, as DESIGN.md describes it.
  @Test func runFollowsTheCLISequence() async throws {
    try await withServer { sock, backend in
      let (status, out, err) = try await runDocker(["run", "busybox", "echo", "hi"], socket: sock)
      #expect(status == 0, "stderr: \(err)")
      #expect(out == "hi from c1\n")
      #expect(await backend.state.isStarted("c1"))
      let missing = try await runDocker(["run", "--pull=never", "nosuchimage"], socket: sock)
      #expect(missing.0 != 0)
    }
  }

  /// exec create → exec start (hijacked) → exec inspect for the exit code.
  @Test func execReportsOutputAndExitCode() async throws {
    try await withServer { sock, _ in
      let (status, out, err) = try await runDocker(["exec", "c1", "echo", "hi"], socket: sock)
      #expect(status == 7, "stderr: \(err)")
      #expect(out == "exec says hi\n")
    }
  }
}
