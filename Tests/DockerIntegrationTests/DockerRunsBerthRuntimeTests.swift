import Foundation
import Testing

/// A real dockerd (20.10, its own managed containerd and containerd-shim-runc-v2) runs
/// containers through berth-runtime: `docker run --runtime berth …`.
///
/// Needs root, dockerd and the docker CLI, and a built berth-runtime (found next to the
/// test bundle, or $BERTH_RUNTIME). Starts its own dockerd under /tmp/berth-dt.*; stops
/// it and removes every container, mount, cgroup and file it made, pass or fail.
@Suite(
  .serialized,
  .enabled(
    if: DockerEnvironment.isRoot, "DockerIntegrationTests need root: they start their own dockerd"),
  .enabled(
    if: DockerEnvironment.dockerd != nil && DockerEnvironment.dockerCLI != nil,
    "DockerIntegrationTests need dockerd and the docker CLI (apt-get install docker.io)"),
  .isolatedDockerd,
  .timeLimit(.minutes(3))
)
struct DockerRunsBerthRuntimeTests {
  let daemon: IsolatedDockerd
  let image = IsolatedDockerd.image

  init() throws {
    daemon = try IsolatedDockerd.required()
  }

  func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> CommandResult {
    try daemon.docker(["run", "--runtime", "berth", "--rm"] + arguments, timeout: timeout)
  }

  /// A name unique to this run (docker wants at least two characters).
  func containerName(_ base: String) -> String {
    "\(base)-\(daemon.name.split(separator: "-").last ?? "x")"
  }

  @Test func echoHi() throws {
    let result = try run([image, "echo", "hi"])
    #expect(result.status == 0, "\(result)\n\(daemon.logTail())")
    #expect(result.stdout == "hi\n", "\(result)")
  }

  @Test func exitCodePropagates() throws {
    let result = try run([image, "sh", "-c", "exit 3"])
    #expect(result.status == 3, "\(result)")
  }

  @Test func userAndWorkdirAndEnv() throws {
    // A non-root process must still be able to wait on the exec fifo.
    let result = try run([
      "--user", "65534", "-w", "/tmp", "-e", "FOO=bar", image, "sh", "-c", "id -u; pwd; echo $FOO",
    ])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout == "65534\n/tmp\nbar\n", "\(result)")
  }

  @Test func hostnameAndReadOnlyRoot() throws {
    let hostname = try run(["--hostname", "berth-box", image, "hostname"])
    #expect(hostname.stdout == "berth-box\n", "\(hostname)")
    let readOnly = try run(["--read-only", image, "touch", "/x"])
    #expect(readOnly.status != 0, "\(readOnly)")
    #expect(readOnly.stderr.contains("Read-only file system"), "\(readOnly)")
  }

  @Test func detachedExecTopPauseStopRemove() throws {
    let name = containerName("bt")
    let started = try daemon.docker([
      "run", "--runtime", "berth", "-d", "--name", name, image, "sleep", "1000",
    ])
    #expect(started.status == 0, "\(started)\n\(daemon.logTail())")
    let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    defer { _ = try? daemon.docker(["rm", "-f", name]) }

    // dockerd really handed it to berth-runtime: the runtime's own state has it, running,
    // with the pid docker reports.
    let runtimeName = try daemon.docker(["inspect", "-f", "{{.HostConfig.Runtime}}", name])
    #expect(runtimeName.stdout == "berth\n", "\(runtimeName)")
    let dockerPid = try daemon.docker(["inspect", "-f", "{{.State.Pid}}", name])
    let state = try daemon.runtime(["state", id])
    #expect(state.status == 0, "\(state)")
    let stateJSON =
      try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any]
    #expect(stateJSON?["status"] as? String == "running", "\(state)")
    #expect(
      (stateJSON?["pid"] as? Int).map(String.init)
        == dockerPid.stdout.trimmingCharacters(in: .whitespacesAndNewlines))

    let ls = try daemon.docker(["exec", name, "ls", "/"])
    #expect(ls.status == 0, "\(ls)")
    #expect(ls.stdout.split(separator: "\n").contains("bin"), "\(ls)")

    let shellPid = try daemon.docker(["exec", name, "sh", "-c", "echo $$"])
    let pid = Int(shellPid.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(shellPid.status == 0, "\(shellPid)")
    #expect(
      pid.map { $0 > 1 } == true,
      "exec'd shell should be a non-init pid in the container: \(shellPid)")

    let exitCode = try daemon.docker(["exec", name, "sh", "-c", "exit 7"])
    #expect(exitCode.status == 7, "\(exitCode)")

    let top = try daemon.docker(["top", name])
    #expect(top.status == 0, "\(top)")
    #expect(top.stdout.contains("sleep 1000"), "\(top)")

    let pause = try daemon.docker(["pause", name])
    #expect(pause.status == 0, "\(pause)")
    let paused = try daemon.docker(["inspect", "-f", "{{.State.Status}}", name])
    #expect(paused.stdout == "paused\n", "\(paused)")
    let runtimePaused = try daemon.runtime(["state", id])
    let pausedJSON =
      try JSONSerialization.jsonObject(with: Data(runtimePaused.stdout.utf8)) as? [String: Any]
    #expect(pausedJSON?["status"] as? String == "paused", "\(runtimePaused)")
    let unpause = try daemon.docker(["unpause", name])
    #expect(unpause.status == 0, "\(unpause)")
    let afterUnpause = try daemon.docker(["exec", name, "echo", "awake"])
    #expect(afterUnpause.stdout == "awake\n", "\(afterUnpause)")

    // busybox sleep as pid 1 has no SIGTERM handler, so the kernel ignores it: docker
    // waits the 2 s and then SIGKILLs.
    let stop = try daemon.docker(["stop", "-t", "2", name], timeout: 30)
    #expect(stop.status == 0, "\(stop)")
    #expect(stop.elapsed < 15, "docker stop -t 2 took \(stop.elapsed) s")
    let status = try daemon.docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name])
    #expect(status.stdout == "exited 137\n", "\(status)")

    let rm = try daemon.docker(["rm", name])
    #expect(rm.status == 0, "\(rm)")
    let gone = try daemon.runtime(["state", id])
    #expect(gone.status != 0, "runtime state should be gone after docker rm: \(gone)")
  }

  @Test func stopIsGracefulWhenTheProcessHandlesSIGTERM() throws {
    let name = containerName("bg")
    let script = #"trap 'echo got-term; exit 0' TERM; echo ready; while true; do sleep 0.1; done"#
    let started = try daemon.docker([
      "run", "--runtime", "berth", "-d", "--name", name, image, "sh", "-c", script,
    ])
    #expect(started.status == 0, "\(started)")
    defer { _ = try? daemon.docker(["rm", "-f", name]) }
    var ready = false
    for _ in 0..<50 where !ready {
      ready = (try? daemon.docker(["logs", name]))?.stdout.contains("ready") == true
      if !ready { usleep(100_000) }
    }
    #expect(ready)
    let stop = try daemon.docker(["stop", "-t", "10", name], timeout: 30)
    #expect(stop.status == 0, "\(stop)")
    #expect(
      stop.elapsed < 5,
      "a process that handles SIGTERM should stop well before the timeout: \(stop.elapsed) s")
    let logs = try daemon.docker(["logs", name])
    #expect(logs.stdout.contains("got-term"), "\(logs)")
    let code = try daemon.docker(["inspect", "-f", "{{.State.ExitCode}}", name])
    #expect(code.stdout == "0\n", "\(code)")
  }

  @Test func interactiveTTY() throws {
    // `script` gives docker a pty, so -it works as it does in a terminal.
    let command = "\(daemon.dockerCLI) run --runtime berth -it --rm \(image) sh -c 'tty; echo ok'"
    let result = try Command.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"], environment: daemon.clientEnvironment,
      timeout: 60)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("/dev/pts/0"), "\(result)")
    #expect(result.stdout.contains("ok"), "\(result)")
  }

  @Test func execWithTTY() throws {
    let name = containerName("bx")
    let started = try daemon.docker([
      "run", "--runtime", "berth", "-d", "--name", name, image, "sleep", "1000",
    ])
    #expect(started.status == 0, "\(started)")
    defer { _ = try? daemon.docker(["rm", "-f", name]) }
    let command = "\(daemon.dockerCLI) exec -it \(name) sh -c 'tty; echo ok'"
    let result = try Command.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"], environment: daemon.clientEnvironment,
      timeout: 60)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("/dev/pts/"), "\(result)")
    #expect(result.stdout.contains("ok"), "\(result)")
  }

  @Test func memoryLimitIsApplied() throws {
    let read =
      "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max"
    let result = try run(["--memory", "32m", image, "sh", "-c", read])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout == "33554432\n", "\(result)")
  }

  @Test func memoryHogIsOOMKilled() throws {
    let hog = #"x=aaaaaaaa; while true; do x="$x$x"; done"#
    let result = try run(
      ["--memory", "16m", "--memory-swap", "16m", image, "sh", "-c", hog], timeout: 60)
    #expect(result.status == 137, "\(result)")
  }

  @Test func pidsAndCPULimits() throws {
    let read = """
      cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max
      cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max
      """
    let result = try run(["--pids-limit", "20", "--cpus", "0.5", image, "sh", "-c", read])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout == "20\n50000\n", "\(result)")
  }
}
