import Foundation
import Testing

/// The same bundle under berth-runtime and runc gives the same observable results.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers && Fixtures.hasRunc, "needs root, busybox-static and runc"))
struct RuncParityTests {
  /// Runs `script` under both runtimes and returns (berth, runc) outputs.
  func both(_ script: String, configure: (TestBundle) -> Void = { _ in }) throws -> (Fixtures.Output, Fixtures.Output) {
    let bundle = try TestBundle(name: "parity")
    defer { bundle.cleanup() }
    configure(bundle)
    try bundle.write(args: ["sh", "-c", script])
    let berth = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("parity")], root: bundle.stateRoot, cwd: bundle.directory)
    let runc = try Fixtures.runc(
      ["run", TestBundle.uniqueID("parity")], root: bundle.stateRoot + "-runc", cwd: bundle.directory)
    return (berth, runc)
  }

  @Test func exitCodesMatch() throws {
    let (berth, runc) = try both("exit 3")
    #expect(berth.status == 3)
    #expect(berth.status == runc.status)
  }

  @Test func processViewIdentityAndHostnameMatch() throws {
    // Only the container's own processes are visible: ps shows sh (PID 1) and ps itself.
    // (PIDs differ: runc's Go init uses a few before the process starts.)
    let (berth, runc) = try both("ps -o comm; id; hostname; cat /proc/1/cmdline | tr '\\0' ' '")
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.contains("uid=0(root) gid=0(root)"))
    #expect(berth.stdout.contains("runc\n"))
  }

  @Test func capabilitiesMatch() throws {
    let (berth, runc) = try both("grep Cap /proc/self/status")
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.contains("CapBnd:\t0000000020000420"))
  }

  @Test func mountsMatch() throws {
    // Mount points and their options, as the container sees them.
    let script = "awk '{print $5, $6, $9}' /proc/self/mountinfo | sort"
    let (berth, runc) = try both(script)
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
  }

  @Test func readonlyRootAndMaskedPathsMatch() throws {
    let script = """
      touch /newfile 2>/dev/null && echo root-writable || echo root-readonly
      wc -c < /proc/kcore; ls /sys/firmware | wc -l
      echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo sys-writable || echo sys-readonly
      touch /tmp/ok && echo tmp-writable
      """
    let (berth, runc) = try both(script) { bundle in
      bundle.spec.mounts?.append(
        .init(destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]))
    }
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.contains("root-readonly"))
    #expect(berth.stdout.contains("sys-readonly"))
    #expect(berth.stdout.contains("tmp-writable"))
  }

  @Test func userAndGroupsMatch() throws {
    let (berth, runc) = try both("id") { bundle in
      bundle.spec.process?.user = .init(uid: 65534, gid: 65534, additionalGids: [5])
    }
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.contains("uid=65534(nobody) gid=65534(nobody)"))
  }

  @Test func cgroupNamespaceAndCgroupMountMatch() throws {
    let script = "cat /proc/self/cgroup; ls /sys/fs/cgroup; cat /sys/fs/cgroup/memory/memory.limit_in_bytes"
    let (berth, runc) = try both(script) { bundle in
      bundle.spec.linux?.namespaces?.append(.init(type: "cgroup"))
      bundle.spec.linux?.resources?.memory = .init(limit: 64 << 20)
    }
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.contains("pids:/\n"))
    #expect(berth.stdout.contains("67108864"))
  }

  @Test func bindMountsSysctlsRlimitsAndOOMScoreMatch() throws {
    let shared = FileManager.default.temporaryDirectory.appendingPathComponent("berth-bind-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: shared) }
    try "from-host\n".write(toFile: shared + "/file", atomically: true, encoding: .utf8)
    let script = """
      cat /data/file; touch /data/new 2>/dev/null && echo data-writable || echo data-readonly
      cat /proc/sys/net/ipv4/ip_forward; ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj
      grep ' /data ' /proc/self/mountinfo | awk '{print $6}'
      """
    let (berth, runc) = try both(script) { bundle in
      bundle.spec.mounts?.append(
        .init(destination: "/data", type: "bind", source: shared, options: ["rbind", "ro", "nosuid"]))
      bundle.spec.linux?.sysctl = ["net.ipv4.ip_forward": "1"]
      bundle.spec.process?.rlimits = [.init(type: "RLIMIT_NOFILE", hard: 512, soft: 256)]
      bundle.spec.process?.oomScoreAdj = 300
    }
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout == "from-host\ndata-readonly\n1\n256\n512\n300\nro,nosuid,relatime\n")
    #expect(!FileManager.default.fileExists(atPath: shared + "/new"))
  }

  @Test func missingExecutableFailsLikeRunc() throws {
    let bundle = try TestBundle(name: "missing")
    defer { bundle.cleanup() }
    try bundle.write(args: ["no-such-program"])
    let berth = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("missing")], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(berth.status != 0)
    #expect(berth.stderr.contains("executable file not found in $PATH"))
  }
}
