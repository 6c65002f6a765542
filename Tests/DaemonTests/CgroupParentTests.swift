import Testing

@testable import Daemon

/// `--cgroup-parent` (HostConfig.CgroupParent) as berthd takes it: a cgroup path from the
/// hierarchy's root, never one that climbs out of it. The v2 lane (scripts/v2-lane) runs a
/// container under one for real.
@Suite struct CgroupParentTests {
  @Test func absoluteAndRelativeParentsAreRootedPaths() throws {
    #expect(try SpecBuilder.cgroupParent("/lane/sub") == "/lane/sub")
    #expect(try SpecBuilder.cgroupParent("lane/sub") == "/lane/sub")
    #expect(try SpecBuilder.cgroupParent("/lane//sub/") == "/lane/sub")
  }

  @Test(arguments: ["/", "", "/lane/../etc", "..", "./lane", "/lane/."])
  func parentsThatLeaveTheTreeAreRefused(_ parent: String) {
    #expect(throws: DaemonError.self) { try SpecBuilder.cgroupParent(parent) }
  }

  @Test func createValidatesTheParent() {
    var s = ContainerSettings(image: "busybox")
    s.cmd = ["sh"]
    s.cgroupParent = "/lane/../../escape"
    #expect(throws: DaemonError.self) { try SpecBuilder.validate(s) }
    s.cgroupParent = "/lane/sub"
    #expect(throws: Never.self) { try SpecBuilder.validate(s) }
  }
}
