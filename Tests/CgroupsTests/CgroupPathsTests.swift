import Foundation
import Testing

@testable import Cgroups

@Suite struct CgroupPathsTests {
  func place(_ path: String?, _ mountInfo: String, _ procCgroup: String, id: String = "c1") throws
    -> CgroupPlacement
  {
    try Cgroups.placement(
      cgroupsPath: path, containerID: id, mountInfo: mountInfo, procCgroup: procCgroup)
  }

  @Test func absolutePathGoesUnderEveryHierarchyRoot() throws {
    let placement = try place("/berth/c1", Samples.hybridMountInfo, Samples.hybridProcCgroup)
    #expect(placement.mode == .hybrid)
    #expect(placement.paths["memory"] == "/sys/fs/cgroup/memory/berth/c1")
    #expect(placement.paths["cpu"] == "/sys/fs/cgroup/cpu/berth/c1")
    #expect(placement.paths["name=systemd"] == "/sys/fs/cgroup/systemd/berth/c1")
    #expect(placement.paths["unified"] == "/sys/fs/cgroup/unified/berth/c1")
    #expect(placement.paths.count == 10)
  }

  @Test func relativePathIsUnderOwnCgroupPerController() throws {
    let placement = try place("berth/c1", Samples.hybridMountInfo, Samples.hybridProcCgroup)
    #expect(placement.paths["memory"] == "/sys/fs/cgroup/memory/process_api/62f058c4/berth/c1")
    #expect(placement.paths["pids"] == "/sys/fs/cgroup/pids/berth/c1")
    #expect(placement.paths["unified"] == "/sys/fs/cgroup/unified/berth/c1")
  }

  @Test func unsetPathIsTheContainerIDRelativeLikeRunc() throws {
    let placement = try place(nil, Samples.v1MountInfo, Samples.v1ProcCgroup, id: "abc")
    #expect(placement.mode == .v1)
    #expect(
      placement.paths["memory"]
        == "/sys/fs/cgroup/memory/user.slice/user-1000.slice/session-2.scope/abc")
    #expect(placement.paths["cpu"] == "/sys/fs/cgroup/cpu,cpuacct/user.slice/abc")
    #expect(placement.paths["cpuset"] == "/sys/fs/cgroup/cpuset/abc")
    #expect(placement.paths["unified"] == nil)
  }

  @Test func v2RelativeGoesUnderTheParentOfOwnCgroup() throws {
    let placement = try place("berth-c1", Samples.v2MountInfo, Samples.v2ProcCgroup)
    #expect(
      placement
        == CgroupPlacement(
          mode: .v2, paths: ["unified": "/sys/fs/cgroup/user.slice/user-1000.slice/berth-c1"]))
    let absolute = try place("/berth/c1", Samples.v2MountInfo, Samples.v2ProcCgroup)
    #expect(absolute.paths == ["unified": "/sys/fs/cgroup/berth/c1"])
  }

  @Test func namespacedMountRootIsStripped() throws {
    let placement = try place("c1", Samples.v2NamespacedMountInfo, "0::/docker/abc/init\n")
    #expect(placement.paths["unified"] == "/sys/fs/cgroup/c1")
  }

  @Test func dotDotCannotEscape() throws {
    let placement = try place("/../../etc/x", Samples.v2MountInfo, Samples.v2ProcCgroup)
    #expect(placement.paths["unified"] == "/sys/fs/cgroup/etc/x")
    let relative = try place("../../../x", Samples.hybridMountInfo, Samples.hybridProcCgroup)
    #expect(relative.paths["memory"] == "/sys/fs/cgroup/memory/process_api/62f058c4/x")
    #expect(CgroupPaths.clean("a/./b/../c") == "a/c")
    #expect(CgroupPaths.clean("/a//b/") == "/a/b")
  }

  @Test func rejectsSystemdStyleAndRootPaths() {
    #expect(throws: CgroupError.self) {
      try place("system.slice:docker:abc", Samples.v2MountInfo, Samples.v2ProcCgroup)
    }
    #expect(throws: CgroupError.self) { try place("/", Samples.v2MountInfo, Samples.v2ProcCgroup) }
    #expect(throws: CgroupError.self) { try place("..", Samples.v2MountInfo, Samples.v2ProcCgroup) }
    #expect(throws: CgroupError.self) {
      try place(nil, Samples.v2MountInfo, Samples.v2ProcCgroup, id: "")
    }
    #expect(throws: CgroupError.self) { try place("/x", "", "") }
    do {
      _ = try place("user.slice:berth:c1", Samples.v2MountInfo, Samples.v2ProcCgroup)
    } catch {
      #expect("\(error)".contains("systemd"))
    }
  }

  @Test func managerFollowsPlacementMode() {
    let v2 = Cgroups.manager(
      placement: CgroupPlacement(mode: .v2, paths: ["unified": "/sys/fs/cgroup/x"]))
    #expect(v2 is CgroupV2Manager)
    let hybrid = Cgroups.manager(
      placement: CgroupPlacement(mode: .hybrid, paths: ["memory": "/m/x", "unified": "/u/x"]))
    #expect(hybrid is CgroupV1Manager)
    #expect(hybrid.placement.paths["unified"] == "/u/x")
  }

  @Test func placementRoundTripsThroughJSON() throws {
    let placement = try place("/berth/c1", Samples.hybridMountInfo, Samples.hybridProcCgroup)
    let data = try JSONEncoder().encode(placement)
    #expect(try JSONDecoder().decode(CgroupPlacement.self, from: data) == placement)
  }
}
