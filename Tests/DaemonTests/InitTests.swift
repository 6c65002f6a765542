// `docker run --init` end to end with the real docker CLI against an isolated berthd:
// berth-init is PID 1 with the command as its child, forwards `docker stop`'s SIGTERM,
// reaps orphans, and passes the command's exit code on. Needs root, busybox,
// /usr/local/bin/docker and the built binaries (berth-init included).
import Foundation
import Testing

@Suite(.serialized) struct InitTests {
  static var missing: String? {
    TestBerthd.missing ?? Integration.missingRequirement(binaries: ["berth-init"])
  }

  /// A started berthd with busybox imported; `body` runs before the clean-up check.
  func withBerthd(_ tag: String, _ body: (TestBerthd) throws -> Void) throws {
    let d = TestBerthd(tag: tag)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    try body(d)
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// A process as /proc/PID/stat describes it.
  struct ProcStat: Equatable {
    var pid: Int
    var comm: String
    var state: String
    var ppid: Int
  }

  /// The container's processes, from its /proc (busybox ps cannot show the state).
  static func processes(_ d: TestBerthd, in container: String) throws -> [ProcStat] {
    let (rc, out) = try d.docker(
      "exec", container, "sh", "-c", "for f in /proc/[0-9]*/stat; do cat $f 2>/dev/null; echo; done")
    try #require(rc == 0, "docker exec \(container): \(out)")
    return out.split(separator: "\n").compactMap { line in
      // "pid (comm) S ppid ...": comm may hold spaces, so split around the parentheses.
      guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"),
        let pid = Int(line[..<open].trimmingCharacters(in: .whitespaces))
      else { return nil }
      let rest = line[line.index(after: close)...].split(separator: " ")
      guard rest.count >= 2, let ppid = Int(rest[1]) else { return nil }
      return ProcStat(
        pid: pid, comm: String(line[line.index(after: open)..<close]), state: String(rest[0]), ppid: ppid)
    }
  }

  @Test(.enabled(if: InitTests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func initIsPID1AndRunsTheCommandAsItsChild() throws {
    try withBerthd("init-pid1") { d in
      let (rc, out) = try d.docker("run", "--rm", "--init", "busybox", "ps", "-o", "pid,ppid,comm")
      try #require(rc == 0, "docker run --init ps: \(out)\n\(d.logText)")
      let rows = out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
      #expect(rows.contains { $0 == ["1", "0", "docker-init"] }, "PID 1 is not the init: \(out)")
      #expect(
        rows.contains { $0.count == 3 && $0[0] != "1" && $0[1] == "1" && $0[2] == "ps" }, "ps is not its child: \(out)")
      let (infoRC, info) = try d.docker("info", "--format", "{{.InitBinary}}")
      #expect(infoRC == 0 && info == "docker-init\n", "docker info InitBinary: \(info)")
    }
  }

  @Test(.enabled(if: InitTests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func inspectShowsInitAndArgsStayTheCommand() throws {
    try withBerthd("init-inspect") { d in
      var (rc, out) = try d.docker("create", "--init", "--name", "c", "busybox", "echo", "hi")
      try #require(rc == 0, "docker create --init: \(out)")
      (rc, out) = try d.docker("inspect", "-f", "{{.HostConfig.Init}} {{.Path}} {{.Args}}", "c")
      #expect(rc == 0 && out == "true echo [hi]\n", "docker inspect: \(out)")
      (rc, out) = try d.docker("start", "-a", "c")
      #expect(rc == 0 && out == "hi\n", "docker start -a: \(out)")
      (rc, out) = try d.docker("rm", "c")
      #expect(rc == 0, "docker rm: \(out)")
    }
  }

  @Test(.enabled(if: InitTests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func exitCodesPropagate() throws {
    try withBerthd("init-exit") { d in
      var (rc, out) = try d.docker("run", "--rm", "--init", "busybox", "sh", "-c", "exit 3")
      #expect(rc == 3, "exit 3 through the init: \(rc) \(out)")
      // Killed by a signal: 128 + the signal, as a shell reports it.
      (rc, out) = try d.docker("run", "--rm", "--init", "busybox", "sh", "-c", "kill -KILL $$")
      #expect(rc == 137, "SIGKILL through the init: \(rc) \(out)")
      (rc, out) = try d.docker("run", "--rm", "--init", "busybox", "no-such-command")
      #expect(rc == 127, "missing command: \(rc) \(out)")
      #expect(out.contains("executable file not found"), "missing command: \(out)")
      (rc, out) = try d.docker("run", "--rm", "--init", "busybox", "/etc/passwd")
      #expect(rc == 126, "non-executable command: \(rc) \(out)")
      #expect(out.contains("ermission denied"), "non-executable command: \(out)")
    }
  }

  /// An orphan (`sleep 1` left by a shell that exits at once) is re-parented to PID 1.
  /// The init reaps it; without the init, PID 1 is `sleep 1000`, which never waits, and
  /// the zombie stays (the control that shows the check sees zombies).
  @Test(.enabled(if: InitTests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func orphansAreReaped() throws {
    try withBerthd("init-reap") { d in
      let script = "sh -c 'sleep 1 &'; exec sleep 1000"
      var (rc, out) = try d.docker("run", "-d", "--init", "--name", "with", "busybox", "sh", "-c", script)
      try #require(rc == 0, "docker run --init -d: \(out)")
      (rc, out) = try d.docker("run", "-d", "--name", "without", "busybox", "sh", "-c", script)
      try #require(rc == 0, "docker run -d: \(out)")

      // While the orphan sleeps: its parent is the init.
      let early = try Self.processes(d, in: "with")
      #expect(early.contains { $0.pid == 1 && $0.comm == "docker-init" }, "\(early)")
      #expect(early.filter { $0.comm == "sleep" && $0.ppid == 1 }.count == 2, "command and orphan: \(early)")

      usleep(2_500_000)
      let with = try Self.processes(d, in: "with")
      #expect(!with.contains { $0.state == "Z" }, "a zombie under the init: \(with)")
      #expect(with.filter { $0.comm == "sleep" }.count == 1, "the orphan is still there: \(with)")
      let without = try Self.processes(d, in: "without")
      #expect(without.contains { $0.state == "Z" && $0.ppid == 1 }, "no zombie without the init: \(without)")

      (rc, out) = try d.docker("rm", "-f", "with", "without")
      #expect(rc == 0, "docker rm -f: \(out)")
    }
  }

  /// `docker stop` sends SIGTERM to PID 1; the init forwards it and `sleep` (which, as PID
  /// 1 itself, would ignore it until the 10 s SIGKILL) dies at once.
  @Test(.enabled(if: InitTests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func stopIsForwardedAndFast() throws {
    try withBerthd("init-stop") { d in
      var (rc, out) = try d.docker("run", "-d", "--init", "--name", "s", "busybox", "sleep", "1000")
      try #require(rc == 0, "docker run -d --init: \(out)")
      let start = Date()
      (rc, out) = try d.docker("stop", "s")
      let elapsed = Date().timeIntervalSince(start)
      #expect(rc == 0, "docker stop: \(out)")
      #expect(elapsed < 5, "docker stop took \(elapsed) s: SIGTERM was not forwarded")
      (rc, out) = try d.docker("inspect", "-f", "{{.State.ExitCode}}", "s")
      #expect(out == "143\n", "exit code after SIGTERM: \(out)")
      (rc, out) = try d.docker("rm", "s")
      #expect(rc == 0, "docker rm: \(out)")
    }
  }

  /// With a TTY the command gets its own process group in the terminal's foreground, so
  /// ^C and ^Z reach it rather than the init.
  @Test(.enabled(if: InitTests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func commandOwnsTheTerminalForeground() throws {
    try withBerthd("init-tty") { d in
      let (rc, out) = try d.docker(
        "run", "--rm", "-t", "--init", "busybox", "sh", "-c",
        "read -r pid comm state ppid pgrp sid tty tpgid rest < /proc/self/stat; echo \"pgrp=$pgrp tpgid=$tpgid\"")
      try #require(rc == 0, "docker run -t --init: \(out)")
      let fields = Dictionary(
        uniqueKeysWithValues: out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").compactMap {
          pair -> (String, String)? in
          let kv = pair.split(separator: "=")
          return kv.count == 2 ? (String(kv[0]), String(kv[1])) : nil
        })
      #expect(fields["pgrp"] != nil && fields["pgrp"] == fields["tpgid"], "not the foreground group: \(out)")
      #expect(fields["pgrp"] != "1", "still in the init's group: \(out)")
    }
  }
}
