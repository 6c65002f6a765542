// The whiteout test: a 2-layer image unpacked to snapshots and mounted with the kernel's
// overlayfs; a deleted file is hidden and an opaque directory hides everything below.
import Foundation
import Images
import OCI
import Snapshots
import Testing

@Suite("Images: whiteouts on a real overlay mount")
struct WhiteoutTests {
  @Test func deletedFilesAndOpaqueDirectoriesAreHidden() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/store")
      try makeTar(
        tmp + "/l1.tar",
        """
        dir('a')
        reg('a/keep', b'kept')
        reg('a/gone', b'should be hidden')
        dir('opq')
        reg('opq/old1', b'1')
        dir('opq/olddir')
        reg('opq/olddir/x', b'x')
        dir('dir-gone')
        reg('dir-gone/inner', b'i')
        """)
      try makeTar(
        tmp + "/l2.tar", mode: "w:gz",
        """
        reg('a/.wh.gone')
        reg('.wh.dir-gone')
        dir('opq')
        reg('opq/.wh..wh..opq')
        reg('opq/new', b'new')
        """)
      var layers: [Descriptor] = []
      var diffIDs: [Digest] = []
      for name in ["l1.tar", "l2.tar"] {
        let fd = open(tmp + "/" + name, O_RDONLY)
        defer { close(fd) }
        let (layer, diffID) = try store.ingestLayer(fd: fd)
        layers.append(layer)
        diffIDs.append(diffID)
      }
      let config = ImageConfig(architecture: "amd64", os: "linux", rootfs: .init(diffIDs: diffIDs))
      let image = try store.storeImage(
        config: config, layers: layers, reference: try ImageReference(parsing: "whiteout-test"))
      let mounts = try store.prepareContainerSnapshot(
        "ctr", image: try store.image("whiteout-test"))
      // The container stands on the image's init layer (mount targets), then its layers.
      let top = image.chainID?.description
      let ancestors = store.snapshots.ancestors("ctr")
      #expect(
        ancestors.count == 3 && ancestors.first == ImageStore.initLayerKey(top: top)
          && ancestors.dropFirst().first == top)
      #expect(mounts[0].lowerDirectories.count == 3)

      let target = tmp + "/rootfs"
      try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
      try mounts.mount(at: target)
      defer { try? SnapshotMount.unmount(target, detach: true) }

      #expect(readText(target + "/a/keep") == "kept")
      // The init layer's mount targets, empty, where the runtime bind-mounts the files.
      for file in ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"] { #expect(readText(target + file) == "") }
      for dir in ["/proc", "/sys", "/dev"] {
        var isDirectory: ObjCBool = false
        #expect(
          FileManager.default.fileExists(atPath: target + dir, isDirectory: &isDirectory) && isDirectory.boolValue)
      }
      #expect(!FileManager.default.fileExists(atPath: target + "/a/gone"))
      #expect(!FileManager.default.fileExists(atPath: target + "/dir-gone"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: target + "/opq") == ["new"])
      // The lower layer still has the files; only the view hides them.
      #expect(
        readText(try store.snapshots.filesystemDirectory(diffIDs[0].description) + "/a/gone")
          == "should be hidden")
    }
  }
}
