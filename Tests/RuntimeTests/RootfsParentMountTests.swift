import Testing

@testable import Runtime

struct RootfsParentMountTests {
  static let mountInfo = """
    27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
    45 27 254:0 /run/netns /run/netns rw,relatime shared:2 - ext4 /dev/vda rw
    46 27 0:40 / /tmp/b rw,relatime master:3 - tmpfs tmpfs rw
    47 46 0:41 / /tmp/b/rootfs rw,relatime - overlay overlay rw
    48 47 0:41 / /tmp/b/rootfs rw,relatime shared:9 master:4 - overlay overlay rw
    """

  @Test func theTopmostMountAtThePathWins() {
    #expect(
      RootfsParentMount(of: "/tmp/b/rootfs", mountInfo: Self.mountInfo)
        == RootfsParentMount(mountPoint: "/tmp/b/rootfs", isShared: true))
  }

  @Test func anAncestorMountWhenThePathIsNoMountPoint() {
    #expect(
      RootfsParentMount(of: "/tmp/b/other", mountInfo: Self.mountInfo)
        == RootfsParentMount(mountPoint: "/tmp/b", isShared: false))
    #expect(
      RootfsParentMount(of: "/tmp/bundle", mountInfo: Self.mountInfo)
        == RootfsParentMount(mountPoint: "/", isShared: true))
  }

  @Test func onlyARecursiveUnsharingChangeSparesTheMountinfoRead() {
    #expect(!RootfsSetup.mayLeaveParentShared(MountFlag.slave | MountFlag.recursive))
    #expect(!RootfsSetup.mayLeaveParentShared(MountFlag.private | MountFlag.recursive))
    #expect(RootfsSetup.mayLeaveParentShared(MountFlag.slave))
    #expect(RootfsSetup.mayLeaveParentShared(MountFlag.shared | MountFlag.recursive))
  }
}
