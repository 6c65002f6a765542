import Foundation
import Glibc
import OCI
import Testing

@testable import Cgroups

/// Needs root and this machine's real cgroups (v1, hybrid or v2). Each test makes its own
/// berth-test-<random> cgroup and removes it, pass or fail; only processes the test spawned
/// are put in it or killed.
@Suite(.enabled(if: RealKernel.available, "needs root and a mounted cgroup hierarchy"), .serialized)
struct RealKernelTests {
  @Test func lifecycleLimitsFreezeStatsDestroy() throws {
    let manager = try Cgroups.manager(
      cgroupsPath: "/" + RealKernel.uniqueName(), containerID: "unused")
    let placement = manager.placement
    #expect(placement.mode == RealKernel.mode)
    var child: RealKernel.Child?
    defer {
      child?.kill()
      try? manager.destroy()
      for dir in Set(placement.paths.values) {
        #expect(!FileManager.default.fileExists(atPath: dir), "left behind: \(dir)")
      }
    }
    try manager.create()
    try manager.create()  // idempotent
    for dir in placement.paths.values { #expect(FileManager.default.fileExists(atPath: dir)) }

    let resources = Resources(
      memory: MemoryResources(limit: 64 << 20, swap: 64 << 20),
      cpu: CPUResources(shares: 512, quota: 20_000, period: 100_000, cpus: "0"),
      pids: PidsResources(limit: 32))
    try manager.apply(resources)

    if placement.mode == .v2, let dir = placement.paths["unified"] {
      #expect(RealKernel.read(dir, "memory.max") == "67108864")
      #expect(RealKernel.read(dir, "pids.max") == "32")
      #expect(RealKernel.read(dir, "cpu.max") == "20000 100000")
      #expect(RealKernel.read(dir, "cpu.weight") == "20")
      #expect(RealKernel.read(dir, "cpuset.cpus") == "0")
    } else {
      let memory = try #require(placement.paths["memory"])
      #expect(RealKernel.read(memory, "memory.limit_in_bytes") == "67108864")
      if FileManager.default.fileExists(atPath: memory + "/memory.memsw.limit_in_bytes") {
        #expect(RealKernel.read(memory, "memory.memsw.limit_in_bytes") == "67108864")
      }
      #expect(RealKernel.read(try #require(placement.paths["pids"]), "pids.max") == "32")
      let cpu = try #require(placement.paths["cpu"])
      #expect(RealKernel.read(cpu, "cpu.shares") == "512")
      #expect(RealKernel.read(cpu, "cpu.cfs_quota_us") == "20000")
      #expect(RealKernel.read(cpu, "cpu.cfs_period_us") == "100000")
      let cpuset = try #require(placement.paths["cpuset"])
      #expect(RealKernel.read(cpuset, "cpuset.cpus") == "0")
      #expect(RealKernel.read(cpuset, "cpuset.mems")?.isEmpty == false)
    }

    // `update`: raise the memory limit above memsw; the write order must adapt.
    try manager.apply(Resources(memory: MemoryResources(limit: 128 << 20, swap: 256 << 20)))
    if let memory = placement.paths["memory"] {
      #expect(RealKernel.read(memory, "memory.limit_in_bytes") == "134217728")
    }

    let sleeper = try RealKernel.Child("/bin/sleep", ["30"])
    child = sleeper
    try manager.addProcess(sleeper.pid)
    #expect(try manager.processes() == [sleeper.pid])
    if placement.mode == .hybrid, let unified = placement.paths["unified"] {
      #expect(RealKernel.read(unified, "cgroup.procs") == "\(sleeper.pid)")
    }
    let ownCgroup = try String(contentsOfFile: "/proc/\(sleeper.pid)/cgroup", encoding: .utf8)
    #expect(
      ownCgroup.contains(URL(fileURLWithPath: placement.paths.values.first ?? "").lastPathComponent)
    )

    #expect(try manager.isFrozen() == false)
    try manager.freeze()
    #expect(try manager.isFrozen())
    let state = try String(contentsOfFile: "/proc/\(sleeper.pid)/stat", encoding: .utf8)
    #expect(state.contains(") S ") || state.contains(") D "))
    try manager.thaw()
    #expect(try manager.isFrozen() == false)

    let stats = try manager.stats()
    #expect(stats.pids?.current == 1)
    #expect(stats.pids?.limit == 32)
    // v1 leaves a migrated task's earlier pages charged where they were, so usage may be 0.
    #expect(stats.memory?.usage != nil)
    #expect(stats.memory?.limit == 128 << 20)
    #expect(stats.cpu?.totalUsageNanos != nil)
    #expect(try manager.oomKillCount() == 0)
    _ = try JSONEncoder().encode(stats)

    // Kill our process, then the cgroup dirs can go.
    sleeper.kill()
    child = nil
    try manager.destroy()
    for dir in Set(placement.paths.values) { #expect(!FileManager.default.fileExists(atPath: dir)) }
    try manager.destroy()  // already gone: fine
  }

  @Test func reloadedPlacementDrivesTheSameCgroup() throws {
    let name = RealKernel.uniqueName()
    let first = try Cgroups.manager(cgroupsPath: "/" + name, containerID: "unused")
    defer { try? first.destroy() }
    try first.create()
    let data = try JSONEncoder().encode(first.placement)
    let again = Cgroups.manager(
      placement: try JSONDecoder().decode(CgroupPlacement.self, from: data))
    try again.apply(Resources(pids: PidsResources(limit: 7)))
    #expect(try first.stats().pids?.limit == 7)
    try again.destroy()
    for dir in first.placement.paths.values {
      #expect(!FileManager.default.fileExists(atPath: dir))
    }
  }

  @Test func relativePathIsUnderOwnCgroup() throws {
    let name = RealKernel.uniqueName()
    let manager = try Cgroups.manager(cgroupsPath: name, containerID: "unused")
    defer { try? manager.destroy() }
    let own = ProcCgroup(try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8))
    let mounts = CgroupMounts(mountInfo: RealKernel.mountInfo)
    for (controller, dir) in manager.placement.paths where controller != "unified" {
      let hierarchy = try #require(mounts.v1[controller])
      let base = CgroupPaths.relative(own.v1[controller] ?? "/", to: hierarchy.root)
      #expect(dir == CgroupPaths.join(CgroupPaths.join(hierarchy.mountPoint, base), name))
    }
    try manager.create()
    try manager.destroy()
    for dir in manager.placement.paths.values {
      #expect(!FileManager.default.fileExists(atPath: dir))
    }
  }

  @Test func memoryHogIsOOMKilled() throws {
    let manager = try Cgroups.manager(
      cgroupsPath: "/" + RealKernel.uniqueName(), containerID: "unused")
    var child: RealKernel.Child?
    defer {
      child?.kill()
      try? manager.destroy()
    }
    try manager.create()
    // 16 MiB of memory and no swap on top.
    try manager.apply(Resources(memory: MemoryResources(limit: 16 << 20, swap: 16 << 20)))
    // The shell holds 64 MiB in a variable once told to go.
    let hog = try RealKernel.Child(
      "/bin/sh", ["-c", "read _; x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}"])
    child = hog
    try manager.addProcess(hog.pid)
    hog.go()
    #expect(hog.wait(seconds: 30), "the memory hog was not killed")
    #expect(hog.process.terminationReason == .uncaughtSignal)
    #expect(hog.process.terminationStatus == SIGKILL)
    #expect(try manager.oomKillCount() >= 1)
    #expect(try manager.stats().memory?.oomKillCount ?? 0 >= 1)
  }

  @Test func pidsLimitStopsForks() throws {
    let manager = try Cgroups.manager(
      cgroupsPath: "/" + RealKernel.uniqueName(), containerID: "unused")
    var child: RealKernel.Child?
    defer {
      child?.kill()
      try? manager.destroy()
    }
    try manager.create()
    try manager.apply(Resources(pids: PidsResources(limit: 3)))
    // The shell plus two sleeps fill the limit; the third fork must fail (the shell then
    // exits non-zero: dash exits 2 when it cannot fork).
    let shell = try RealKernel.Child(
      "/bin/sh", ["-c", "read _; sleep 3 & sleep 3 & sleep 0 && exit 0; exit 42"])
    child = shell
    try manager.addProcess(shell.pid)
    shell.go()
    #expect(shell.wait(seconds: 20))
    #expect(shell.process.terminationStatus != 0)
    if let pids = manager.placement.paths["pids"] ?? manager.placement.paths["unified"] {
      let events = RealKernel.read(pids, "pids.events") ?? ""
      #expect(events.contains("max ") && !events.contains("max 0"), "pids.events: \(events)")
    }
    // The backgrounded sleeps are ours too: kill them by pid before removing the cgroup.
    for pid in try manager.processes() { kill(pid, SIGKILL) }
  }

  @Test(.enabled(if: RealKernel.mode != .v2, "v1 devices controller"))
  func v1DeviceRulesAreEnforced() throws {
    let manager = try Cgroups.manager(
      cgroupsPath: "/" + RealKernel.uniqueName(), containerID: "unused")
    var child: RealKernel.Child?
    defer {
      child?.kill()
      try? manager.destroy()
    }
    try manager.create()
    try manager.apply(
      Resources(devices: [
        DeviceCgroupRule(allow: false, access: "rwm"),
        DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),
        DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 9, access: "r"),
      ]))
    let devices = try #require(manager.placement.paths["devices"])
    #expect(RealKernel.read(devices, "devices.list") == "c 1:3 rwm\nc 1:9 r")
    // /dev/null opens, /dev/zero (1:5) does not.
    let probe = try RealKernel.Child(
      "/bin/sh",
      [
        "-c",
        "read _; echo x > /dev/null || exit 1; head -c1 /dev/zero > /dev/null 2>&1 && exit 2; exit 0",
      ])
    child = probe
    try manager.addProcess(probe.pid)
    probe.go()
    #expect(probe.wait(seconds: 20))
    #expect(probe.process.terminationStatus == 0)
  }

  /// The v2 eBPF device filter, attached to a cgroup in the hybrid host's cgroup2 hierarchy
  /// (device programs work there whatever the v1 controllers do).
  @Test(.enabled(if: RealKernel.hybridUnifiedMount != nil, "hybrid host with a cgroup2 mount"))
  func ebpfDeviceFilterIsEnforced() throws {
    let mount = try #require(RealKernel.hybridUnifiedMount)
    let dir = mount + "/" + RealKernel.uniqueName()
    // mkdir directly: CgroupV2Manager.create would touch the root's subtree_control.
    #expect(mkdir(dir, 0o755) == 0)
    var child: RealKernel.Child?
    defer {
      child?.kill()
      rmdir(dir)
      #expect(!FileManager.default.fileExists(atPath: dir))
    }
    let rules = [
      DeviceCgroupRule(allow: false, access: "rwm"),
      DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),
    ]
    try CgroupDeviceFilter.apply(rules, toCgroup: dir)
    // Re-applying replaces the program instead of stacking a second one.
    try CgroupDeviceFilter.apply(rules, toCgroup: dir)
    #expect(try CgroupDeviceFilter.attachedPrograms(dir).count == 1)
    let probe = try RealKernel.Child(
      "/bin/sh",
      [
        "-c",
        "read _; echo x > /dev/null || exit 1; head -c1 /dev/zero > /dev/null 2>&1 && exit 2; exit 0",
      ])
    child = probe
    try CgroupV2Manager(path: dir).addProcess(probe.pid)
    probe.go()
    #expect(probe.wait(seconds: 20))
    #expect(probe.process.terminationStatus == 0)
  }
}
