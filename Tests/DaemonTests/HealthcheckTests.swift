// Healthchecks end to end with the real docker CLI: starting → healthy → unhealthy, the
// State.Health log, and `docker ps`'s health note.
import Foundation
import Testing

@Suite(.serialized) struct HealthcheckTests {
  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func startingHealthyUnhealthy() throws {
    let d = TestBerthd(tag: "health")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker(
      "run", "-d", "--name", "h", "--health-cmd", "test -f /tmp/ok", "--health-interval", "200ms",
      "--health-retries", "2", "busybox", "sh", "-c", "sleep 1; touch /tmp/ok; sleep 100")
    try #require(rc == 0, "docker run: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Health.Status}}", "h")
    #expect(out == "starting\n", "health right after start: \(out)")
    (rc, out) = try d.docker("ps", "--format", "{{.Status}}")
    #expect(out.contains("(health: starting)"), "docker ps while starting: \(out)")

    out = try RestartPolicyTests.poll(d, "h", "{{.State.Health.Status}}") { $0 == "healthy" }
    #expect(out == "healthy", "health after the file appeared: \(out)\n\(d.logText)")
    (rc, out) = try d.docker("ps", "--format", "{{.Status}}")
    #expect(out.contains("(healthy)"), "docker ps when healthy: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Health.FailingStreak}} {{len .State.Health.Log}}", "h")
    let fields = out.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    #expect(fields.first == "0", "failing streak when healthy: \(out)")
    #expect((Int(fields.last ?? "") ?? 0) >= 1 && (Int(fields.last ?? "") ?? 0) <= 5, "log length: \(out)")

    (rc, out) = try d.docker("exec", "h", "rm", "/tmp/ok")
    #expect(rc == 0, "docker exec rm: \(out)")
    out = try RestartPolicyTests.poll(d, "h", "{{.State.Health.Status}}") { $0 == "unhealthy" }
    #expect(out == "unhealthy", "health after the file was removed: \(out)")
    (rc, out) = try d.docker("ps", "--format", "{{.Status}}")
    #expect(out.contains("(unhealthy)"), "docker ps when unhealthy: \(out)")
    (rc, out) = try d.docker(
      "inspect", "-f", "{{.State.Health.FailingStreak}}{{range .State.Health.Log}} {{.ExitCode}}{{end}}", "h")
    #expect((Int(out.split(separator: " ").first ?? "") ?? 0) >= 2, "failing streak: \(out)")
    #expect(out.hasSuffix(" 1 1\n"), "the last probes' exit codes (oldest first): \(out)")
    #expect(out.split(separator: " ").count <= 6, "more than 5 results in the log: \(out)")

    // NONE disables the image's or any healthcheck: no State.Health.
    (rc, out) = try d.docker("run", "-d", "--name", "n", "--no-healthcheck", "busybox", "sleep", "100")
    try #require(rc == 0, "docker run: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Health}}", "n")
    #expect(out == "<nil>\n", "State.Health without a healthcheck: \(out)")

    (rc, out) = try d.docker("rm", "-f", "h", "n")
    #expect(rc == 0, "docker rm -f: \(out)")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// A probe that runs past its timeout counts as a failure with exit code -1.
  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func probeTimeout() throws {
    let d = TestBerthd(tag: "healtht")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker(
      "run", "-d", "--name", "t", "--health-cmd", "sleep 5", "--health-interval", "200ms", "--health-timeout",
      "300ms", "--health-retries", "1", "busybox", "sleep", "100")
    try #require(rc == 0, "docker run: \(out)")
    out = try RestartPolicyTests.poll(d, "t", "{{.State.Health.Status}}") { $0 == "unhealthy" }
    #expect(out == "unhealthy", "health with a probe past its timeout: \(out)\n\(d.logText)")
    (rc, out) = try d.docker("inspect", "-f", "{{(index .State.Health.Log 0).ExitCode}}", "t")
    #expect(out == "-1\n", "exit code of a timed-out probe: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{(index .State.Health.Log 0).Output}}", "t")
    #expect(out.contains("exceeded timeout"), "output of a timed-out probe: \(out)")
    (rc, out) = try d.docker("rm", "-f", "t")
    #expect(rc == 0, "docker rm -f: \(out)")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }
}
