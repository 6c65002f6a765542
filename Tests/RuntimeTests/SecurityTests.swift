import Foundation
import OCI
import Testing

/// Seccomp, the protected init binary, fd hygiene and cwd checks.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers, "needs root and busybox-static"))
struct SecurityTests {
  @Test func seccompRuleFailsSyscallWithConfiguredErrno() throws {
    let bundle = try TestBundle(name: "seccomp")
    defer { bundle.cleanup() }
    bundle.spec.root?.readonly = false
    bundle.spec.linux?.seccomp = Seccomp(
      defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
      syscalls: [SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38)])
    try bundle.write(args: ["sh", "-c", "mkdir /tmp/denied; echo rc=$?; touch /tmp/allowed && echo touched"])
    let result = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("sec")], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(result.stderr.contains("Function not implemented"), "\(result.stderr)")
    #expect(result.stdout.contains("rc=1"))
    #expect(result.stdout.contains("touched"))
  }

  /// The profile is compiled once per runtime root; later containers and exec'd processes
  /// load the cached program and are filtered the same, and a damaged entry is rebuilt.
  @Test func seccompProgramIsCachedAndAppliesToLaterContainersAndExec() throws {
    let bundle = try TestBundle(name: "seccomp-cache")
    defer { bundle.cleanup() }
    bundle.spec.root?.readonly = false
    bundle.spec.linux?.seccomp = Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38)])
    try bundle.write(args: ["sh", "-c", "mkdir /tmp/denied; echo rc=$?"])
    let cacheDirectory = bundle.stateRoot + "/.seccomp"
    func runOnce() throws {
      let result = try Fixtures.runtime(
        ["run", TestBundle.uniqueID("secc")], root: bundle.stateRoot, cwd: bundle.directory)
      #expect(result.stderr.contains("Function not implemented"), "\(result.stderr)")
      #expect(result.stdout.contains("rc=1"))
    }
    try runOnce()
    let entries = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory)
    #expect(entries.count == 1)
    let entry = cacheDirectory + "/" + (entries.first ?? "")
    let stored = try Data(contentsOf: URL(fileURLWithPath: entry))
    try runOnce()
    #expect(try FileManager.default.contentsOfDirectory(atPath: cacheDirectory) == entries)
    try Data("not a program".utf8).write(to: URL(fileURLWithPath: entry))
    try runOnce()
    #expect(try Data(contentsOf: URL(fileURLWithPath: entry)) == stored)

    try bundle.write(args: ["sleep", "300"])
    let id = TestBundle.uniqueID("secc")
    #expect(try Fixtures.runtime(["create", id], root: bundle.stateRoot, cwd: bundle.directory).status == 0)
    defer { _ = try? Fixtures.runtime(["delete", "--force", id], root: bundle.stateRoot) }
    #expect(try Fixtures.runtime(["start", id], root: bundle.stateRoot).status == 0)
    let exec = try Fixtures.runtime(
      ["exec", id, "sh", "-c", "mkdir /tmp/denied-exec; echo rc=$?"], root: bundle.stateRoot)
    #expect(exec.stderr.contains("Function not implemented"), "\(exec.stderr)")
    #expect(exec.stdout.contains("rc=1"))
  }

  @Test(.enabled(if: Fixtures.hasRunc)) func seccompWithoutNoNewPrivilegesLoadsLikeRunc() throws {
    let bundle = try TestBundle(name: "seccomp-nnp")
    defer { bundle.cleanup() }
    bundle.spec.root?.readonly = false
    bundle.spec.process?.noNewPrivileges = false
    bundle.spec.linux?.seccomp = Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1)])
    try bundle.write(args: ["sh", "-c", "mkdir /tmp/denied 2>&1; echo rc=$?"])
    let berth = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("sec2")], root: bundle.stateRoot, cwd: bundle.directory)
    let runc = try Fixtures.runc(
      ["run", TestBundle.uniqueID("sec2")], root: bundle.stateRoot + "-runc", cwd: bundle.directory)
    #expect(berth.stdout.contains("Operation not permitted"), "\(berth.stdout) \(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
  }

  /// CVE-2019-5736 class: the init's /proc/PID/exe cannot be written, and the init is single-threaded.
  @Test func initBinaryIsWriteProtectedAndSingleThreaded() throws {
    let bundle = try TestBundle(name: "exe")
    defer { bundle.cleanup() }
    try bundle.write(args: ["true"])
    let id = TestBundle.uniqueID("exe")
    let pidFile = bundle.directory + "/pid"
    let created = try Fixtures.runtime(
      ["create", "--pid-file", pidFile, id], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(created.status == 0, "\(created.stderr)")
    let pid = try String(contentsOfFile: pidFile, encoding: .utf8)
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    #expect(status.contains("Threads:\t1\n"))
    let fd = open("/proc/\(pid)/exe", O_WRONLY)
    let err = errno
    if fd >= 0 { close(fd) }
    #expect(fd < 0)
    #expect(err == EROFS || err == EPERM || err == ETXTBSY, "errno \(err)")
    // The host binary itself is untouched and still not what the init runs from.
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    #expect(exe != Fixtures.runtimeBinary)
    #expect(try Fixtures.runtime(["delete", "-f", id], root: bundle.stateRoot).status == 0)
  }

  /// CVE-2024-21626 class: no host fd reaches the container, and a cwd through /proc/self/fd is refused.
  @Test func noHostFileDescriptorLeaksIntoContainer() throws {
    let bundle = try TestBundle(name: "fds")
    defer { bundle.cleanup() }
    try bundle.write(args: ["sh", "-c", "ls /proc/self/fd | sort -n | tr '\\n' ' '"])
    let result = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("fds")], root: bundle.stateRoot, cwd: bundle.directory)
    // 0, 1, 2, and the directory fd ls itself opened.
    #expect(result.stdout.trimmingCharacters(in: .whitespaces) == "0 1 2 3", "\(result.stdout) \(result.stderr)")
  }

  @Test(arguments: 3...8)
  func cwdThroughProcSelfFdNeverLeavesTheRoot(fd: Int) throws {
    let bundle = try TestBundle(name: "cwd")
    defer { bundle.cleanup() }
    bundle.spec.process?.cwd = "/proc/self/fd/\(fd)"
    try bundle.write(args: [
      "sh", "-c", "pwd; ls -d ../../../../sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null && echo ESCAPED",
    ])
    let result = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("cwd")], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(!result.stdout.contains("ESCAPED"))
    // Either refused at create, or the cwd is a path inside the container.
    if result.status == 0 { #expect(result.stdout.hasPrefix("/")) } else { #expect(result.stderr.contains("cwd")) }
  }

  @Test func userNamespaceMapsRootToAnUnprivilegedHostUser() throws {
    let bundle = try TestBundle(name: "userns")
    defer { bundle.cleanup() }
    bundle.spec.linux?.namespaces?.append(Namespace(type: "user"))
    bundle.spec.linux?.uidMappings = [IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
    bundle.spec.linux?.gidMappings = [IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
    // sysfs and cgroup mounts need more than a user namespace can grant without a netns of its own.
    bundle.spec.mounts?.removeAll { $0.destination == "/sys/fs/cgroup" }
    try bundle.write(args: ["sh", "-c", "id -u; cat /proc/self/uid_map"])
    let result = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("userns")], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("0\n"))
    #expect(result.stdout.contains("100000"))
  }
}
