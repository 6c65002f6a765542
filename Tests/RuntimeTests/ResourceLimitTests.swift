import Foundation
import OCI
import Testing

/// Limits are enforced by the kernel for real, and cgroups are gone afterwards.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers, "needs root and busybox-static"))
struct ResourceLimitTests {
  @Test func memoryHogIsOOMKilledAtTheLimit() throws {
    let bundle = try TestBundle(name: "oom")
    defer { bundle.cleanup() }
    bundle.spec.linux?.resources?.memory = MemoryResources(limit: 16 << 20, swap: 16 << 20)
    // The string doubles until it no longer fits in 16 MiB.
    try bundle.write(args: ["awk", "BEGIN { s = \"x\"; while (1) s = s s }"])
    let id = TestBundle.uniqueID("oom")
    let result = try Fixtures.runtime(["run", id], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(result.status == 137, "stderr: \(result.stderr)")
    #expect(cgroupDirectories(named: id).isEmpty)
  }

  @Test func oomKilledDetachedContainerIsStopped() throws {
    let bundle = try TestBundle(name: "oom2")
    defer { bundle.cleanup() }
    bundle.spec.linux?.resources?.memory = MemoryResources(limit: 16 << 20, swap: 16 << 20)
    try bundle.write(args: ["awk", "BEGIN { s = \"x\"; while (1) s = s s }"])
    let id = TestBundle.uniqueID("oom2")
    #expect(try Fixtures.runtime(["run", "-d", id], root: bundle.stateRoot, cwd: bundle.directory).status == 0)
    var status = ""
    for _ in 0..<100 {
      status = try Fixtures.runtime(["state", id], root: bundle.stateRoot).stdout
      if status.contains("\"stopped\"") { break }
      usleep(50_000)
    }
    #expect(status.contains("\"stopped\""))
    #expect(try Fixtures.runtime(["delete", id], root: bundle.stateRoot).status == 0)
  }

  @Test func forkBombStopsAtPidsMax() throws {
    // Bounded: 40 fork attempts with shell builtins only, each child gone after 2 s.
    let script = "i=0; while [ $i -lt 40 ]; do sleep 2 & i=$((i+1)); done; echo forked-all"
    func run(limit: Int64?) throws -> Fixtures.Output {
      let bundle = try TestBundle(name: "pids")
      defer { bundle.cleanup() }
      if let limit { bundle.spec.linux?.resources?.pids = PidsResources(limit: limit) }
      try bundle.write(args: ["sh", "-c", script])
      return try Fixtures.runtime(["run", TestBundle.uniqueID("pids")], root: bundle.stateRoot, cwd: bundle.directory)
    }
    let limited = try run(limit: 8)
    #expect(limited.stderr.contains("can't fork"), "\(limited.stderr)")
    #expect(!limited.stdout.contains("forked-all"))
    let unlimited = try run(limit: nil)
    #expect(unlimited.stdout.contains("forked-all"), "\(unlimited.stderr)")
  }

  @Test func cpuQuotaThrottles() throws {
    let bundle = try TestBundle(name: "cpu")
    defer { bundle.cleanup() }
    bundle.spec.linux?.resources?.cpu = CPUResources(quota: 10_000, period: 100_000)
    try bundle.write(args: ["sh", "-c", "while :; do :; done"])
    let id = TestBundle.uniqueID("cpu")
    #expect(try Fixtures.runtime(["run", "-d", id], root: bundle.stateRoot, cwd: bundle.directory).status == 0)
    usleep(1_200_000)
    let stats = try Fixtures.runtime(["events", "--stats", id], root: bundle.stateRoot)
    let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
    let data = json?["data"] as? [String: Any]
    let cpu = data?["cpu"] as? [String: Any]
    let usage = cpu?["totalUsageNanos"] as? Int ?? Int.max
    let throttled = cpu?["throttledPeriods"] as? Int ?? 0
    #expect(throttled > 0, "\(stats.stdout)")
    // 10% of one CPU over ~1.2 s is ~120 ms; allow slack for scheduling, far below unthrottled.
    #expect(usage < 400_000_000, "cpu usage \(usage) ns")
    #expect(try Fixtures.runtime(["delete", "-f", id], root: bundle.stateRoot).status == 0)
    #expect(cgroupDirectories(named: id).isEmpty)
  }

  @Test func updateChangesMemoryLimitLive() throws {
    let bundle = try TestBundle(name: "update")
    defer { bundle.cleanup() }
    bundle.spec.linux?.resources?.memory = MemoryResources(limit: 256 << 20)
    try bundle.write(args: ["sleep", "60"])
    let id = TestBundle.uniqueID("upd")
    #expect(try Fixtures.runtime(["run", "-d", id], root: bundle.stateRoot, cwd: bundle.directory).status == 0)
    #expect(try Fixtures.runtime(["update", "--memory", "64m", id], root: bundle.stateRoot).status == 0)
    let inside = try Fixtures.runtime(
      ["exec", id, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"], root: bundle.stateRoot)
    #expect(inside.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(64 << 20))
    #expect(try Fixtures.runtime(["delete", "-f", id], root: bundle.stateRoot).status == 0)
  }
}
