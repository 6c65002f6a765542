// Live restore end to end with the real docker CLI: berthd is killed with SIGKILL while 3
// containers run (one writing a numbered line every 100 ms) and a new berthd is started
// on the same directories. The containers keep running, no log line is lost (the shim
// writes the log), and the new berthd lists, execs into, stops and removes them, leaving
// nothing behind. Needs root, busybox, /usr/local/bin/docker and the built binaries.
import Foundation
import Testing

@Suite(.serialized) struct LiveRestoreTests {
  /// The numbers of the `line N` lines of `docker logs`, in order.
  static func lineNumbers(_ logs: String) -> [Int] {
    logs.split(separator: "\n").compactMap { line in
      line.hasPrefix("line ") ? Int(line.dropFirst(5)) : nil
    }
  }

  /// Checks the numbers are 0, 1, 2, … with no gap; returns the last.
  static func expectConsecutive(_ numbers: [Int], _ what: String) -> Int {
    #expect(numbers.first == 0, "\(what): log does not start at line 0: \(numbers.prefix(5))")
    for (i, n) in numbers.enumerated() where n != i {
      Issue.record(
        "\(what): line \(i) is numbered \(n) (a gap or a duplicate): \(numbers[max(0, i - 3)..<min(numbers.count, i + 3)])"
      )
      break
    }
    return numbers.last ?? -1
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func killedBerthdRestoresRunningContainers() throws {
    let d = TestBerthd(tag: "live")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    var (rc, out) = try d.docker(
      "run", "-d", "--name", "logger", "busybox", "sh", "-c",
      "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.1; done")
    try #require(rc == 0, "docker run -d logger: \(out)")
    for name in ["s1", "s2"] {
      (rc, out) = try d.docker("run", "-d", "--name", name, "busybox", "sleep", "1000")
      try #require(rc == 0, "docker run -d \(name): \(out)")
    }
    usleep(1_000_000)
    (rc, out) = try d.docker("logs", "logger")
    let before = Self.expectConsecutive(Self.lineNumbers(out), "before the kill")
    #expect(before >= 3, "the logger wrote too little before the kill: \(out)")

    let oldPid = d.pid
    d.kill9()
    usleep(1_000_000)
    try d.start()
    #expect(d.pid != oldPid)

    (rc, out) = try d.docker("ps", "--format", "{{.Names}} {{.State}}")
    #expect(rc == 0, "docker ps: \(out)")
    for name in ["logger", "s1", "s2"] {
      #expect(out.contains("\(name) running"), "docker ps after the restart lacks \(name): \(out)\n\(d.logText)")
    }

    #expect(d.shimProcesses.count == 3, "shims after the restart: \(d.shimProcesses)")
    #expect(d.runtimeStates.count == 3, "runtime state after the restart: \(d.runtimeStates)")

    // Lines written while berthd was away are all there, and more keep coming.
    (rc, out) = try d.docker("logs", "logger")
    let afterRestart = Self.expectConsecutive(Self.lineNumbers(out), "after the restart")
    #expect(afterRestart >= before + 8, "logging did not go on while berthd was down: \(before) → \(afterRestart)")
    usleep(700_000)
    (rc, out) = try d.docker("logs", "logger")
    let later = Self.expectConsecutive(Self.lineNumbers(out), "later")
    #expect(later > afterRestart, "the log stopped growing after the restart: \(afterRestart) → \(later)")
    (rc, out) = try d.docker("logs", "--tail", "1", "logger")
    #expect(rc == 0 && out.hasPrefix("line "), "docker logs --tail 1: \(out)")

    for name in ["logger", "s1", "s2"] {
      (rc, out) = try d.docker("exec", name, "sh", "-c", "echo in-$HOSTNAME; exit 4")
      #expect(rc == 4 && out.hasPrefix("in-"), "docker exec \(name): \(rc) \(out)")
      (rc, out) = try d.docker("exec", name, "ls", "/")
      #expect(rc == 0 && out.contains("bin"), "docker exec ls \(name): \(out)")
    }
    (rc, out) = try d.docker("top", "s1")
    #expect(rc == 0 && out.contains("sleep 1000"), "docker top s1: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}} {{.State.Running}}", "s2")
    #expect(rc == 0 && out == "running true\n", "docker inspect s2: \(out)")

    let started = Date()
    for name in ["logger", "s1", "s2"] {
      (rc, out) = try d.docker("stop", "-t", "2", name)
      #expect(rc == 0, "docker stop \(name): \(out)")
    }
    #expect(Date().timeIntervalSince(started) < 15, "docker stop took too long")
    (rc, out) = try d.docker("ps", "-a", "--format", "{{.Names}} {{.State}}")
    for name in ["logger", "s1", "s2"] {
      #expect(out.contains("\(name) exited"), "\(name) not exited after stop: \(out)")
    }
    for name in ["logger", "s1", "s2"] {
      (rc, out) = try d.docker("rm", name)
      #expect(rc == 0, "docker rm \(name): \(out)")
    }
    (rc, out) = try d.docker("ps", "-aq")
    #expect(rc == 0 && out.isEmpty, "containers left: \(out)")

    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind after stop and rm: \(left)")
  }

  /// A container that exits while berthd is down is recorded as exited (with its code)
  /// by the new berthd, and its mounts, cgroups and state are cleaned up.
  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func exitWhileBerthdIsDownIsRecorded() throws {
    let d = TestBerthd(tag: "livex")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker("run", "-d", "--name", "short", "busybox", "sh", "-c", "sleep 1; exit 7")
    try #require(rc == 0, "docker run -d: \(out)")
    d.kill9()
    usleep(2_000_000)
    try d.start()
    (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "short")
    #expect(rc == 0 && out == "exited 7\n", "inspect after an exit while berthd was down: \(out)")
    (rc, out) = try d.docker("wait", "short")
    #expect(rc == 0 && out == "7\n", "docker wait: \(out)")
    (rc, out) = try d.docker("rm", "short")
    #expect(rc == 0, "docker rm: \(out)")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// berthd killed while containers are being created, started and removed: the new
  /// berthd keeps exactly the running containers' shims, runtime state and mounts, kills
  /// and cleans the half-started rest, and after `rm -f` of everything nothing is left.
  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func killDuringStartsIsReconciled() throws {
    let d = TestBerthd(tag: "liveb")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var loops: [Process] = []
    for command in ["docker run --rm busybox true", "docker run -d busybox sleep 1000"] {
      for _ in 0..<3 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "for k in $(seq 20); do \(command) >/dev/null 2>&1; done"]
        p.environment = d.environment.merging(["PATH": "/usr/local/bin:/usr/bin:/bin"]) { $1 }
        try p.run()
        loops.append(p)
      }
    }
    usleep(2_000_000)
    d.kill9()
    for p in loops { p.waitUntilExit() }
    usleep(500_000)
    try d.start()

    var (rc, out) = try d.docker("ps", "-q", "--no-trunc")
    #expect(rc == 0, "docker ps: \(out)")
    let running = Set(out.split(separator: "\n").map(String.init))
    #expect(Set(d.runtimeStates) == running, "runtime state \(d.runtimeStates) vs running \(running)")
    #expect(Set(d.shimStates) == Set(running.map { String($0.prefix(16)) }), "shim state \(d.shimStates)")
    let deadline = Date().addingTimeInterval(10)
    while d.shimProcesses.count != running.count && Date() < deadline { usleep(100_000) }
    #expect(d.shimProcesses.count == running.count, "shims \(d.shimProcesses) vs running \(running)")
    #expect(d.leftoverMounts.count == running.count, "mounts \(d.leftoverMounts) vs running \(running)")
    for id in running.prefix(2) {
      (rc, out) = try d.docker("exec", id, "true")
      #expect(rc == 0, "docker exec in a restored container: \(out)")
    }
    (rc, out) = try d.docker("ps", "-aq")
    let all = out.split(separator: "\n").map(String.init)
    if !all.isEmpty {
      (rc, out) = try d.docker(["rm", "-f"] + all)
      #expect(rc == 0, "docker rm -f: \(out)")
    }
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }
}
