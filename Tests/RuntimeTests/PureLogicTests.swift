import Testing

@testable import Runtime

struct MountOptionsTests {
  @Test func flagsPropagationAndData() {
    let o = MountOptions(["nosuid", "ro", "rbind", "rprivate", "mode=755", "size=1k"])
    #expect(o.flags & MountFlag.readOnly != 0)
    #expect(o.flags & MountFlag.noSuid != 0)
    #expect(o.isBind && o.isRecursive)
    #expect(o.propagation == [MountFlag.private | MountFlag.recursive])
    #expect(o.data == ["mode=755", "size=1k"])
  }

  @Test func laterOptionWins() {
    let o = MountOptions(["ro", "rw"])
    #expect(o.flags & MountFlag.readOnly == 0)
    #expect(o.clearedFlags & MountFlag.readOnly != 0)
  }
}

struct SecurePathTests {
  @Test func cleanNeverClimbsAboveRoot() {
    #expect(SecurePath.clean("/../../etc//passwd") == "/etc/passwd")
    #expect(SecurePath.clean("a/./b/../c") == "/a/c")
  }

  @Test func symlinksResolveInsideRoot() throws {
    let links = ["/r/evil": "/etc", "/r/up": "../../../host", "/r/a/loop": "/a/loop"]
    let read: (String) -> String? = { links[$0] }
    #expect(try SecurePath.resolve(root: "/r", "/evil/passwd", readLink: read) == "/r/etc/passwd")
    #expect(try SecurePath.resolve(root: "/r", "/up/x", readLink: read) == "/r/host/x")
    #expect(throws: RuntimeError.self) { try SecurePath.resolve(root: "/r", "/a/loop", readLink: read) }
  }
}

struct ContainerIDTests {
  @Test func rejectsUnsafeIDs() {
    for bad in ["", "..", "a/b", "x y", "a\0b"] {
      #expect(throws: RuntimeError.self) { try ContainerID.validate(bad) }
    }
    #expect(throws: Never.self) { try ContainerID.validate("web-1.0_a+b") }
  }

  @Test func rejectsTheNamesOfTheRuntimesOwnState() {
    for reserved in [".empty", ".seccomp"] {
      #expect(throws: RuntimeError.self) { try ContainerID.validate(reserved) }
    }
    #expect(throws: Never.self) { try ContainerID.validate(".seccomp2") }
  }
}

struct CgroupMountOrderTests {
  @Test func hierarchiesFollowTheHostsMountOrderNotTheirNames() {
    let points = [
      "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/blkio", "/sys/fs/cgroup/unified",
    ]
    let paths = [
      "blkio": "/sys/fs/cgroup/blkio/c", "cpu": "/sys/fs/cgroup/cpu,cpuacct/c",
      "cpuacct": "/sys/fs/cgroup/cpu,cpuacct/c",
      "memory": "/sys/fs/cgroup/memory/c", "unified": "/sys/fs/cgroup/unified/c", "rdma": "/elsewhere/c",
    ]
    let order = CgroupMounts.hierarchies(paths, mountPoints: points).map(\.1)
    #expect(
      order == [
        "/sys/fs/cgroup/cpu,cpuacct/c", "/sys/fs/cgroup/cpu,cpuacct/c", "/sys/fs/cgroup/memory/c",
        "/sys/fs/cgroup/blkio/c",
      ])
  }
}
