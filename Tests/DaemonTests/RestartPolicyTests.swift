// Restart policies end to end with the real docker CLI: on-failure counts failures,
// always keeps restarting until `docker stop`, and always / unless-stopped containers come
// back when berthd starts again after a SIGKILL.
import Foundation
import Testing

@Suite(.serialized) struct RestartPolicyTests {
  /// Polls `docker inspect -f format name` until `done` holds (or the deadline); the last output.
  static func poll(
    _ d: TestBerthd, _ name: String, _ format: String, seconds: Double = 20, until done: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var last = ""
    repeat {
      let (rc, out) = try d.docker("inspect", "-f", format, name)
      last = out.trimmingCharacters(in: .whitespacesAndNewlines)
      if rc == 0 && done(last) { return last }
      usleep(100_000)
    } while Date() < deadline
    return last
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func onFailureCountsFailures() throws {
    let d = TestBerthd(tag: "rpfail")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker(
      "run", "-d", "--name", "f", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1")
    try #require(rc == 0, "docker run: \(out)")
    out = try Self.poll(d, "f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}") { $0 == "exited 2 1" }
    #expect(out == "exited 2 1", "on-failure:2 after the retries: \(out)\n\(d.logText)")
    // It stays exited (no third restart).
    usleep(1_500_000)
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "f")
    #expect(out == "exited 2\n", "after the limit: \(out)")
    (rc, out) = try d.docker(
      "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", "f")
    #expect(out == "on-failure:2\n", "restart policy in inspect: \(out)")
    // A zero exit is not a failure.
    (rc, out) = try d.docker("run", "-d", "--name", "ok", "--restart", "on-failure", "busybox", "true")
    try #require(rc == 0, "docker run: \(out)")
    out = try Self.poll(d, "ok", "{{.State.Status}}") { $0 == "exited" }
    usleep(500_000)
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "ok")
    #expect(out == "exited 0\n", "on-failure after exit 0: \(out)")
    (rc, out) = try d.docker("rm", "-f", "f", "ok")
    #expect(rc == 0, "docker rm: \(out)")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func alwaysRestartsUntilStopped() throws {
    let d = TestBerthd(tag: "rpalways")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker(
      "run", "-d", "--name", "a", "--restart", "always", "busybox", "sh", "-c", "sleep 0.2; exit 0")
    try #require(rc == 0, "docker run: \(out)")
    out = try Self.poll(d, "a", "{{.RestartCount}}") { (Int($0) ?? 0) >= 3 }
    #expect((Int(out) ?? 0) >= 3, "RestartCount of an always container: \(out)\n\(d.logText)")
    // docker ps shows it running or restarting.
    var sawRestarting = false
    for _ in 0..<60 where !sawRestarting {
      (rc, out) = try d.docker("ps", "--format", "{{.Status}}")
      sawRestarting = out.hasPrefix("Restarting (0)")
      usleep(30_000)
    }
    #expect(sawRestarting, "docker ps never showed Restarting (0): \(out)")
    (rc, out) = try d.docker("stop", "-t", "1", "a")
    #expect(rc == 0, "docker stop: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "a")
    let stopped = out
    #expect(stopped.hasPrefix("exited "), "after docker stop: \(stopped)")
    usleep(2_000_000)
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "a")
    #expect(out == stopped, "restarted after docker stop: \(stopped) → \(out)")
    (rc, out) = try d.docker("rm", "a")
    #expect(rc == 0, "docker rm: \(out)")
    // rm -f of an always container that is restarting or running removes it for good.
    (rc, out) = try d.docker("run", "-d", "--name", "b", "--restart", "always", "busybox", "sh", "-c", "exit 3")
    try #require(rc == 0, "docker run: \(out)")
    _ = try Self.poll(d, "b", "{{.RestartCount}}") { (Int($0) ?? 0) >= 2 }
    (rc, out) = try d.docker("rm", "-f", "b")
    #expect(rc == 0, "docker rm -f: \(out)")
    (rc, out) = try d.docker("ps", "-aq")
    #expect(out.isEmpty, "containers left: \(out)")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// berthd killed while an always container is exited (stopped by the user) and an
  /// always container exits while berthd is down: both run again once berthd starts;
  /// a stopped unless-stopped container stays exited.
  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func policiesApplyAtDaemonStart() throws {
    let d = TestBerthd(tag: "rprestart")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker("run", "-d", "--name", "al", "--restart", "always", "busybox", "sleep", "1000")
    try #require(rc == 0, "docker run: \(out)")
    (rc, out) = try d.docker(
      "run", "-d", "--name", "us", "--restart", "unless-stopped", "busybox", "sleep", "1000")
    try #require(rc == 0, "docker run: \(out)")
    (rc, out) = try d.docker("stop", "-t", "0", "al", "us")
    try #require(rc == 0, "docker stop: \(out)")
    // Exits once, 1 s after its start; the second run (the marker exists) keeps running.
    (rc, out) = try d.docker(
      "run", "-d", "--name", "ex", "--restart", "always", "busybox", "sh", "-c",
      "test -f /m && exec sleep 1000; touch /m; sleep 1; exit 5")
    try #require(rc == 0, "docker run: \(out)")
    d.kill9()
    usleep(2_000_000)
    try d.start()
    out = try Self.poll(d, "al", "{{.State.Status}}") { $0 == "running" }
    #expect(out == "running", "always container after the daemon restart: \(out)\n\(d.logText)")
    out = try Self.poll(d, "ex", "{{.State.Status}}") { $0 == "running" }
    #expect(out == "running", "always container that exited while berthd was down: \(out)\n\(d.logText)")
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}}", "us")
    #expect(out == "exited\n", "stopped unless-stopped container after the daemon restart: \(out)")
    (rc, out) = try d.docker("exec", "al", "true")
    #expect(rc == 0, "exec into the restarted container: \(out)")
    (rc, out) = try d.docker("rm", "-f", "al", "us", "ex")
    #expect(rc == 0, "docker rm -f: \(out)")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }
}
