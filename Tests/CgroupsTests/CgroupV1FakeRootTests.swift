import OCI
import Testing

@testable import Cgroups

/// The v1 manager's file logic against plain files (the real-kernel suite covers the rest).
@Suite struct CgroupV1FakeRootTests {
  func makeManager(_ tree: FakeCgroupTree) throws -> CgroupV1Manager {
    try tree.make(
      "memory/c1",
      [
        "memory.limit_in_bytes": "9223372036854771712",
        "memory.memsw.limit_in_bytes": "9223372036854771712",
        "memory.soft_limit_in_bytes": "", "memory.swappiness": "60",
        "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 5",
      ])
    try tree.make(
      "devices/c1", ["devices.list": "a *:* rwm", "devices.allow": "", "devices.deny": ""])
    try tree.make("blkio/c1", ["blkio.bfq.weight": "100", "blkio.throttle.write_iops_device": ""])
    return CgroupV1Manager(
      placement: CgroupPlacement(
        mode: .v1,
        paths: [
          "memory": tree.path("memory/c1"), "devices": tree.path("devices/c1"),
          "blkio": tree.path("blkio/c1"),
        ]))
  }

  @Test func memoryAndSwap() throws {
    let tree = try FakeCgroupTree()
    let manager = try makeManager(tree)
    var memory = MemoryResources(limit: 100 << 20, reservation: 50 << 20, swap: 200 << 20)
    memory.swappiness = 10
    memory.disableOOMKiller = true
    try manager.apply(Resources(memory: memory))
    #expect(tree.read("memory/c1/memory.limit_in_bytes") == "104857600")
    #expect(tree.read("memory/c1/memory.memsw.limit_in_bytes") == "209715200")
    #expect(tree.read("memory/c1/memory.soft_limit_in_bytes") == "52428800")
    #expect(tree.read("memory/c1/memory.swappiness") == "10")
    #expect(tree.read("memory/c1/memory.oom_control") == "1")
    memory.swappiness = 101
    #expect(throws: CgroupError.self) { try manager.apply(Resources(memory: memory)) }
  }

  @Test func unlimitedMemoryAlsoLiftsSwap() throws {
    let tree = try FakeCgroupTree()
    let manager = try makeManager(tree)
    try manager.apply(Resources(memory: MemoryResources(limit: -1)))
    #expect(tree.read("memory/c1/memory.limit_in_bytes") == "-1")
    #expect(tree.read("memory/c1/memory.memsw.limit_in_bytes") == "-1")
  }

  @Test func oomKillCountFromOOMControl() throws {
    let tree = try FakeCgroupTree()
    #expect(try makeManager(tree).oomKillCount() == 5)
  }

  @Test func devicesPrivilegedSkipsRedundantAllowAll() throws {
    let tree = try FakeCgroupTree()
    let manager = try makeManager(tree)
    try manager.apply(
      Resources(devices: [
        DeviceCgroupRule(allow: false, access: "rwm"), DeviceCgroupRule(allow: true, access: "rwm"),
      ]))
    #expect(tree.read("devices/c1/devices.allow") == "")
    #expect(tree.read("devices/c1/devices.deny") == "")
  }

  @Test func blkioUsesBFQWhenCFQIsGone() throws {
    let tree = try FakeCgroupTree()
    let manager = try makeManager(tree)
    var blockIO = BlockIOResources(weight: 300)
    blockIO.throttleWriteIOPSDevice = [
      try fromJSON(#"{"major":8,"minor":0,"rate":100}"#, as: ThrottleDevice.self)
    ]
    try manager.apply(Resources(blockIO: blockIO))
    #expect(tree.read("blkio/c1/blkio.bfq.weight") == "300")
    #expect(tree.read("blkio/c1/blkio.throttle.write_iops_device") == "8:0 100")
  }

  @Test func missingControllersAndUnifiedOnV1AreErrors() throws {
    let tree = try FakeCgroupTree()
    let manager = try makeManager(tree)
    #expect(throws: CgroupError.controllerMissing(controller: "pids", needed: "pids.limit")) {
      try manager.apply(Resources(pids: PidsResources(limit: 10)))
    }
    var unified = Resources()
    unified.unified = ["memory.high": "1"]
    #expect(throws: CgroupError.self) { try manager.apply(unified) }
    #expect(try manager.isFrozen() == false)
    #expect(throws: CgroupError.self) { try manager.freeze() }
  }

  @Test func errorsNameTheFileAndErrno() {
    let error = CgroupError.write(
      path: "/sys/fs/cgroup/memory/x/memory.limit_in_bytes", value: "1", errno: 16)
    #expect("\(error)".contains("memory.limit_in_bytes"))
    #expect("\(error)".contains("errno 16"))
  }
}
