import Foundation
import LinuxOS
import OCI
import Testing

/// create → start → exec → ps → pause/resume → kill → delete, hooks, and what is left afterwards.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers, "needs root and busybox-static"))
struct LifecycleTests {
  func state(_ id: String, _ bundle: TestBundle) throws -> [String: Any] {
    let out = try Fixtures.runtime(["state", id], root: bundle.stateRoot)
    return (try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]) ?? [:]
  }

  func waitForStatus(_ wanted: String, _ id: String, _ bundle: TestBundle) throws -> String {
    var status = ""
    for _ in 0..<100 {
      status = try state(id, bundle)["status"] as? String ?? ""
      if status == wanted { break }
      usleep(20_000)
    }
    return status
  }

  @Test func fullLifecycleLeavesNothingBehind() throws {
    let bundle = try TestBundle(name: "life")
    defer { bundle.cleanup() }
    try bundle.write(args: ["sleep", "300"])
    let id = TestBundle.uniqueID("life")
    let created = try Fixtures.runtime(["create", id], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(created.status == 0, "\(created.stderr)")
    #expect(try state(id, bundle)["status"] as? String == "created")
    #expect(try Fixtures.runtime(["start", id], root: bundle.stateRoot).status == 0)
    #expect(try state(id, bundle)["status"] as? String == "running")
    let pid = try state(id, bundle)["pid"] as? Int ?? 0
    #expect(pid > 0)

    let exec = try Fixtures.runtime(
      ["exec", "--cwd", "/tmp", "-e", "X=y", id, "sh", "-c", "pwd; echo $X; exit 5"], root: bundle.stateRoot)
    #expect(exec.status == 5)
    #expect(exec.stdout == "/tmp\ny\n")
    let ps = try Fixtures.runtime(["ps", "--format", "json", id], root: bundle.stateRoot)
    #expect(ps.stdout.contains("\(pid)"))

    #expect(try Fixtures.runtime(["pause", id], root: bundle.stateRoot).status == 0)
    #expect(try state(id, bundle)["status"] as? String == "paused")
    #expect(try Fixtures.runtime(["resume", id], root: bundle.stateRoot).status == 0)
    #expect(try state(id, bundle)["status"] as? String == "running")

    let list = try Fixtures.runtime(["list"], root: bundle.stateRoot)
    #expect(list.stdout.contains(id))
    let refused = try Fixtures.runtime(["delete", id], root: bundle.stateRoot)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("not stopped"))

    #expect(try Fixtures.runtime(["kill", id, "KILL"], root: bundle.stateRoot).status == 0)
    #expect(try waitForStatus("stopped", id, bundle) == "stopped")
    #expect(try Fixtures.runtime(["delete", id], root: bundle.stateRoot).status == 0)
    #expect(try Fixtures.runtime(["state", id], root: bundle.stateRoot).status != 0)
    #expect(cgroupDirectories(named: id).isEmpty)
    let mounts = try Files.readString("/proc/self/mountinfo")
    #expect(!mounts.contains(bundle.rootfs))
  }

  @Test func killAllSignalsEveryProcess() throws {
    let bundle = try TestBundle(name: "killall")
    defer { bundle.cleanup() }
    try bundle.write(args: ["sh", "-c", "sleep 300 & sleep 300 & wait"])
    let id = TestBundle.uniqueID("killall")
    #expect(try Fixtures.runtime(["run", "-d", id], root: bundle.stateRoot, cwd: bundle.directory).status == 0)
    usleep(200_000)
    #expect(
      try Fixtures.runtime(["ps", "--format", "json", id], root: bundle.stateRoot).stdout.split(separator: ",").count
        == 3)
    #expect(try Fixtures.runtime(["kill", "--all", id, "9"], root: bundle.stateRoot).status == 0)
    #expect(try waitForStatus("stopped", id, bundle) == "stopped")
    #expect(try Fixtures.runtime(["delete", id], root: bundle.stateRoot).status == 0)
  }

  @Test func hooksRunInOrderWithState() throws {
    let bundle = try TestBundle(name: "hooks")
    defer { bundle.cleanup() }
    let log = bundle.directory + "/hooks.log"
    func hook(_ name: String) -> Hook {
      Hook(path: "/bin/sh", args: ["sh", "-c", "read -r state; echo \(name) \"$state\" >> \(log)"])
    }
    var hooks = Hooks()
    hooks.createRuntime = [hook("createRuntime")]
    hooks.createContainer = [hook("createContainer")]
    hooks.poststart = [hook("poststart")]
    hooks.poststop = [hook("poststop")]
    // startContainer runs inside the container: its path is the container's /bin/sh.
    hooks.startContainer = [Hook(path: "/bin/sh", args: ["sh", "-c", "echo startContainer > /dev/shm/started"])]
    bundle.spec.hooks = hooks
    try bundle.write(args: ["cat", "/dev/shm/started"])
    let id = TestBundle.uniqueID("hooks")
    let result = try Fixtures.runtime(["run", id], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "startContainer\n")
    let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
    #expect(
      lines.map { $0.split(separator: " ").first ?? "" } == [
        "createRuntime", "createContainer", "poststart", "poststop",
      ])
    #expect(lines.allSatisfy { $0.contains("\"id\":\"\(id)\"") })
  }

  @Test func failingHookFailsCreateAndCleansUp() throws {
    let bundle = try TestBundle(name: "badhook")
    defer { bundle.cleanup() }
    var hooks = Hooks()
    hooks.createRuntime = [Hook(path: "/bin/false")]
    bundle.spec.hooks = hooks
    try bundle.write(args: ["true"])
    let id = TestBundle.uniqueID("badhook")
    let result = try Fixtures.runtime(["create", id], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(result.status != 0)
    #expect(result.stderr.contains("createRuntime"))
    #expect(try Fixtures.runtime(["state", id], root: bundle.stateRoot).status != 0)
    #expect(cgroupDirectories(named: id).isEmpty)
  }

  @Test func terminalRunGetsAPty() throws {
    let bundle = try TestBundle(name: "tty")
    defer { bundle.cleanup() }
    bundle.spec.process?.terminal = true
    try bundle.write(args: ["sh", "-c", "tty; echo done"])
    let id = TestBundle.uniqueID("tty")
    let command = "\(Fixtures.runtimeBinary) --root \(bundle.stateRoot) run \(id)"
    let result = try Fixtures.run("/usr/bin/script", ["-qec", command, "/dev/null"], cwd: bundle.directory)
    #expect(result.stdout.contains("/dev/pts/0"), "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("done"))
  }

  @Test func namespacesAreJoinedByPath() throws {
    let first = try TestBundle(name: "ns-a")
    defer { first.cleanup() }
    first.spec.hostname = "alpha"
    first.spec.linux?.namespaces?.append(.init(type: "cgroup"))
    try first.write(args: ["sleep", "60"])
    let a = TestBundle.uniqueID("ns-a")
    #expect(try Fixtures.runtime(["run", "-d", a], root: first.stateRoot, cwd: first.directory).status == 0)
    let pid = try state(a, first)["pid"] as? Int ?? 0
    #expect(pid > 0)

    // The second container joins the first one's UTS, network and IPC namespaces by path.
    let second = try TestBundle(name: "ns-b")
    defer { second.cleanup() }
    second.spec.hostname = nil
    let joinedNamespaces = (second.spec.linux?.namespaces ?? []).map { ns in
      ["uts", "network", "ipc"].contains(ns.type)
        ? Namespace(type: ns.type, path: "/proc/\(pid)/ns/\(ns.type == "network" ? "net" : ns.type)") : ns
    }
    second.spec.linux?.namespaces = joinedNamespaces
    try second.write(args: ["sh", "-c", "hostname; readlink /proc/self/ns/net"])
    let joined = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("ns-b")], root: second.stateRoot, cwd: second.directory)
    #expect(joined.status == 0, "\(joined.stderr)")
    let firstNet = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")
    #expect(joined.stdout == "alpha\n\(firstNet)\n")
    #expect(try Fixtures.runtime(["delete", "-f", a], root: first.stateRoot).status == 0)
  }

  @Test func preservedFileDescriptorsReachTheContainer() throws {
    let bundle = try TestBundle(name: "fds")
    defer { bundle.cleanup() }
    try bundle.write(args: ["sh", "-c", "cat <&3; ls /proc/self/fd | sort -n | tr '\\n' ' '"])
    try "through fd 3\n".write(toFile: bundle.directory + "/payload", atomically: true, encoding: .utf8)
    let command =
      "exec \(Fixtures.runtimeBinary) --root \(bundle.stateRoot) run --preserve-fds 1 \(TestBundle.uniqueID("fds")) 3<payload"
    let result = try Fixtures.run("/bin/sh", ["-c", command], cwd: bundle.directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("through fd 3\n"))
    // fd 3 was passed on; ls's own directory fd is 4; nothing else.
    #expect(result.stdout.hasSuffix("0 1 2 3 4 "), "\(result.stdout)")
  }

  @Test func specAndFeaturesAreWellFormed() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-spec-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try Fixtures.runtime(["spec", "--bundle", dir], root: dir + "/state").status == 0)
    let spec = try JSONDecoder().decode(Spec.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/config.json")))
    #expect(spec.process?.args == ["sh"])
    #expect(try Fixtures.runtime(["spec", "--bundle", dir], root: dir + "/state").status != 0)
    let features = try Fixtures.runtime(["features"], root: dir + "/state")
    let json = try JSONSerialization.jsonObject(with: Data(features.stdout.utf8)) as? [String: Any]
    #expect(json?["ociVersionMax"] as? String == "1.1.0")
  }

  @Test func badInputGivesClearErrors() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-bad-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "{ not json".write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
    let bad = try Fixtures.runtime(["create", "--bundle", dir, "x1"], root: dir + "/state")
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("invalid config.json"))
    let badID = try Fixtures.runtime(["create", "--bundle", dir, "../escape"], root: dir + "/state")
    #expect(badID.stderr.contains("invalid container id"))
    let unknownFlag = try Fixtures.runtime(["create", "--no-such-flag", "x"], root: dir + "/state")
    #expect(unknownFlag.status == 2)
    let systemd = try Fixtures.run(Fixtures.runtimeBinary, ["--systemd-cgroup", "list"])
    #expect(systemd.stderr.contains("--systemd-cgroup is not supported"))
    #expect(try Fixtures.runtime(["state", "nope"], root: dir + "/state").stderr.contains("container does not exist"))
  }
}
