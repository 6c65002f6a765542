import OCI
import Testing

@testable import Cgroups

/// The v2 manager against a temporary directory shaped like a cgroup2 mount (this build
/// machine is hybrid, so it has no cgroup2 hierarchy with controllers).
@Suite struct CgroupV2FakeRootTests {
  static let leafFiles = [
    "cgroup.procs": "", "cgroup.freeze": "0", "cgroup.events": "populated 0\nfrozen 0",
    "memory.max": "max", "memory.swap.max": "max", "memory.low": "0", "memory.current": "4096",
    "memory.peak": "8192",
    "memory.events": "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\noom_group_kill 0",
    "memory.stat": "anon 1000\nfile 2000\nkernel 30", "cpu.weight": "100", "cpu.max": "max 100000",
    "cpu.max.burst": "0", "cpu.idle": "0",
    "cpu.stat":
      "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 10\nnr_throttled 4\nthrottled_usec 7",
    "pids.max": "max", "pids.current": "3", "io.weight": "default 100", "io.max": "",
    "io.stat":
      "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0",
    "cpuset.cpus": "", "cpuset.mems": "", "hugetlb.2MB.max": "max",
  ]

  func makeHierarchy() throws -> FakeCgroupTree {
    let tree = try FakeCgroupTree()
    try tree.make(
      "",
      [
        "cgroup.controllers": "cpuset cpu io memory hugetlb pids",
        "cgroup.subtree_control": "memory",
      ])
    try tree.make(
      "berth",
      ["cgroup.controllers": "cpuset cpu io memory hugetlb pids", "cgroup.subtree_control": ""])
    return tree
  }

  @Test func createEnablesControllersDownTheChain() throws {
    let tree = try makeHierarchy()
    let manager = CgroupV2Manager(path: tree.path("berth/c1"))
    try manager.create()
    #expect(tree.exists("berth/c1"))
    // Only what was not enabled yet is written, all in one write.
    #expect(tree.read("cgroup.subtree_control") == "+cpuset +cpu +io +hugetlb +pids")
    #expect(tree.read("berth/cgroup.subtree_control") == "+cpuset +cpu +io +memory +hugetlb +pids")
    #expect(try CgroupV2Manager.hierarchyRoot(containing: tree.path("berth/c1/x")) == tree.root)
    try manager.create()  // idempotent
  }

  @Test func applyWritesV2Files() throws {
    let tree = try makeHierarchy()
    try tree.make("berth/c1", Self.leafFiles)
    let manager = CgroupV2Manager(path: tree.path("berth/c1"))
    var resources = Resources(
      memory: MemoryResources(limit: 64 << 20, reservation: 32 << 20, swap: 128 << 20),
      cpu: CPUResources(shares: 1024, quota: 50_000, period: 100_000, cpus: "0-1", mems: "0"),
      pids: PidsResources(limit: 100), blockIO: BlockIOResources(weight: 500))
    resources.memory?.swappiness = 60  // no v2 equivalent: ignored
    resources.hugepageLimits = [
      try fromJSON(#"{"pageSize":"2MB","limit":4194304}"#, as: HugepageLimit.self)
    ]
    resources.unified = ["memory.high": "50000000"]
    resources.blockIO?.throttleReadBpsDevice = [
      try fromJSON(#"{"major":8,"minor":0,"rate":1048576}"#, as: ThrottleDevice.self)
    ]
    try tree.make("berth/c1", ["memory.high": "max"])
    try manager.apply(resources)
    #expect(tree.read("berth/c1/memory.max") == "67108864")
    #expect(tree.read("berth/c1/memory.swap.max") == "67108864")
    #expect(tree.read("berth/c1/memory.low") == "33554432")
    #expect(tree.read("berth/c1/cpu.weight") == "39")
    #expect(tree.read("berth/c1/cpu.max") == "50000 100000")
    #expect(tree.read("berth/c1/cpuset.cpus") == "0-1")
    #expect(tree.read("berth/c1/cpuset.mems") == "0")
    #expect(tree.read("berth/c1/pids.max") == "100")
    #expect(tree.read("berth/c1/io.weight") == "default 4950")
    #expect(tree.read("berth/c1/io.max") == "8:0 rbps=1048576")
    #expect(tree.read("berth/c1/hugetlb.2MB.max") == "4194304")
    #expect(tree.read("berth/c1/memory.high") == "50000000")
  }

  @Test func unlimitedValuesBecomeMax() throws {
    let tree = try makeHierarchy()
    try tree.make("berth/c1", Self.leafFiles)
    let manager = CgroupV2Manager(path: tree.path("berth/c1"))
    try manager.apply(
      Resources(
        memory: MemoryResources(limit: -1), cpu: CPUResources(quota: -1, period: 50_000),
        pids: PidsResources(limit: 0)))
    #expect(tree.read("berth/c1/memory.max") == "max")
    #expect(tree.read("berth/c1/memory.swap.max") == "max")
    #expect(tree.read("berth/c1/cpu.max") == "max 50000")
    #expect(tree.read("berth/c1/pids.max") == "max")
  }

  @Test func bfqWeightIsUsedWhenPresent() throws {
    let tree = try makeHierarchy()
    try tree.make("berth/c1", Self.leafFiles.merging(["io.bfq.weight": "default 100"]) { $1 })
    try CgroupV2Manager(path: tree.path("berth/c1")).apply(
      Resources(blockIO: BlockIOResources(weight: 300)))
    #expect(tree.read("berth/c1/io.bfq.weight") == "300")
    #expect(tree.read("berth/c1/io.weight") == "default 100")
  }

  @Test func missingControllerFileIsAClearError() throws {
    let tree = try makeHierarchy()
    try tree.make("berth/c1", ["cgroup.procs": ""])
    let manager = CgroupV2Manager(path: tree.path("berth/c1"))
    #expect(
      throws: CgroupError.controllerMissing(
        controller: "pids", needed: "pids.limit (no \(tree.path("berth/c1"))/pids.max)")
    ) {
      try manager.apply(Resources(pids: PidsResources(limit: 5)))
    }
    #expect(throws: CgroupError.self) { try manager.apply(Resources(cpu: CPUResources(shares: 2))) }
    var realtime = CPUResources()
    realtime.realtimeRuntime = 1000
    #expect(throws: CgroupError.self) { try manager.apply(Resources(cpu: realtime)) }
    var bad = Resources()
    bad.unified = ["../memory.max": "1"]
    #expect(throws: CgroupError.self) { try manager.apply(bad) }
  }

  @Test func statsParseV2Files() throws {
    let tree = try makeHierarchy()
    try tree.make("berth/c1", Self.leafFiles)
    let manager = CgroupV2Manager(path: tree.path("berth/c1"))
    let stats = try manager.stats()
    #expect(stats.memory?.usage == 4096)
    #expect(stats.memory?.limit == nil)
    #expect(stats.memory?.maxUsage == 8192)
    #expect(stats.memory?.failcnt == 3)
    #expect(stats.memory?.oomKillCount == 2)
    #expect(stats.memory?.cache == 2000)
    #expect(stats.cpu?.totalUsageNanos == 1_500_000)
    #expect(stats.cpu?.userNanos == 1_000_000)
    #expect(stats.cpu?.throttledPeriods == 4)
    #expect(stats.cpu?.throttledTimeNanos == 7000)
    #expect(stats.pids?.current == 3 && stats.pids?.limit == nil)
    #expect(
      stats.blockIO
        == {
          var io = CgroupStats.BlockIO()
          io.bytesRead = 101
          io.bytesWritten = 202
          io.opsRead = 4
          io.opsWritten = 6
          return io
        }())
    #expect(try manager.oomKillCount() == 2)
  }

  @Test func freezeWritesCgroupFreezeAndReadsEvents() throws {
    let tree = try makeHierarchy()
    try tree.make(
      "berth/c1", Self.leafFiles.merging(["cgroup.events": "populated 1\nfrozen 1"]) { $1 })
    let manager = CgroupV2Manager(path: tree.path("berth/c1"))
    try manager.freeze()
    #expect(tree.read("berth/c1/cgroup.freeze") == "1")
    #expect(try manager.isFrozen())
    try tree.make("berth/c1", ["cgroup.events": "populated 1\nfrozen 0"])
    try manager.thaw()
    #expect(tree.read("berth/c1/cgroup.freeze") == "0")
    #expect(try manager.isFrozen() == false)
  }

  @Test func processesWalkDescendants() throws {
    let tree = try makeHierarchy()
    try tree.make("berth/c1", ["cgroup.procs": "10\n11\n"])
    try tree.make("berth/c1/sub", ["cgroup.procs": "12\n"])
    #expect(try CgroupV2Manager(path: tree.path("berth/c1")).processes() == [10, 11, 12])
    #expect(try CgroupV2Manager(path: tree.path("berth/missing")).processes() == [])
  }

  @Test func relativeOrEmptyPathIsRefused() {
    #expect(throws: CgroupError.self) { try CgroupV2Manager(path: "").create() }
    #expect(throws: CgroupError.self) { try CgroupV2Manager(path: "x/y").stats() }
  }
}
