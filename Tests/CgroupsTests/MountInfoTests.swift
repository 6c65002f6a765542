import Testing

@testable import Cgroups

@Suite struct MountInfoTests {
  @Test func detectsHybrid() {
    #expect(Cgroups.detectMode(mountInfo: Samples.hybridMountInfo) == .hybrid)
    let mounts = CgroupMounts(mountInfo: Samples.hybridMountInfo)
    #expect(mounts.v1["memory"]?.mountPoint == "/sys/fs/cgroup/memory")
    #expect(mounts.v1["name=systemd"]?.mountPoint == "/sys/fs/cgroup/systemd")
    #expect(mounts.unified?.mountPoint == "/sys/fs/cgroup/unified")
    #expect(mounts.v1.count == 9)
  }

  @Test func detectsV1WithCoMountedControllers() {
    #expect(Cgroups.detectMode(mountInfo: Samples.v1MountInfo) == .v1)
    let mounts = CgroupMounts(mountInfo: Samples.v1MountInfo)
    #expect(mounts.v1["cpu"]?.mountPoint == "/sys/fs/cgroup/cpu,cpuacct")
    #expect(mounts.v1["cpuacct"]?.mountPoint == "/sys/fs/cgroup/cpu,cpuacct")
    #expect(mounts.v1["net_prio"]?.mountPoint == "/sys/fs/cgroup/net_cls,net_prio")
    // "xattr" and "rw" are options, not controllers.
    #expect(mounts.v1["xattr"] == nil && mounts.v1["rw"] == nil)
    #expect(mounts.unified == nil)
  }

  @Test func detectsV2() {
    #expect(Cgroups.detectMode(mountInfo: Samples.v2MountInfo) == .v2)
    let mounts = CgroupMounts(mountInfo: Samples.v2MountInfo)
    #expect(mounts.unified == CgroupMounts.Hierarchy(mountPoint: "/sys/fs/cgroup", root: "/"))
    #expect(mounts.v1.isEmpty)
  }

  @Test func onlyANamedV1HierarchyIsStillV2() {
    let text =
      Samples.v2MountInfo + "\n50 26 0:40 / /run/systemd/cgroup rw - cgroup cgroup rw,name=systemd"
    #expect(Cgroups.detectMode(mountInfo: text) == .v2)
  }

  @Test func unescapesOctalInMountPoints() {
    let line = "41 31 0:38 / /mnt/with\\040space rw,relatime - cgroup2 cgroup2 rw"
    #expect(MountInfoEntry(line: Substring(line))?.mountPoint == "/mnt/with space")
  }

  @Test func parsesOptionalFieldsAndRejectsGarbage() {
    let line = "26 24 0:23 / /sys/fs/cgroup rw shared:4 master:1 - cgroup2 cgroup2 rw"
    let entry = MountInfoEntry(line: Substring(line))
    #expect(entry?.fsType == "cgroup2")
    #expect(entry?.superOptions == ["rw"])
    #expect(MountInfoEntry(line: "not a mountinfo line") == nil)
  }

  @Test func parsesProcCgroup() {
    let own = ProcCgroup(Samples.hybridProcCgroup)
    #expect(own.v1["memory"] == "/process_api/62f058c4")
    #expect(own.v1["name=systemd"] == "/")
    #expect(own.unified == "/")
    let v1 = ProcCgroup(Samples.v1ProcCgroup)
    #expect(v1.v1["cpu"] == "/user.slice" && v1.v1["cpuacct"] == "/user.slice")
    #expect(v1.unified == nil)
  }
}
