// A layer entry whose parent directory has no entry of its own: the directory takes its
// mode and owner from the layers below (a lone "tmp/x" must not turn /tmp into 0755).
import Foundation
import Images
import OCI
import Snapshots
import Testing

@Suite("Images: implicit parent directories inherit from the layers below")
struct ParentAttributesTests {
  @Test(.enabled(if: geteuid() == 0, "needs root (ownership)"))
  func implicitParentsTakeModeAndOwnerFromBelow() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/store")
      try makeTar(
        tmp + "/l1.tar",
        """
        dir('tmp', mode=0o1777)
        dir('home', mode=0o755)
        dir('home/user', mode=0o700, uid=1000, gid=1000)
        reg('file', b'f')
        sym('link', 'home')
        """)
      try makeTar(
        tmp + "/l2.tar",
        """
        reg('tmp/x', b'x')
        reg('home/user/.profile', b'p', uid=1000, gid=1000)
        reg('new/deep/y', b'y')
        dir('explicit', mode=0o711)
        reg('explicit/z', b'z')
        """)
      try makeTar(tmp + "/l3.tar", "reg('tmp/again', b'a')\nreg('link/inner', b'i')")
      var layers: [Descriptor] = []
      var diffIDs: [Digest] = []
      for name in ["l1.tar", "l2.tar", "l3.tar"] {
        let fd = open(tmp + "/" + name, O_RDONLY)
        defer { close(fd) }
        let (layer, diffID) = try store.ingestLayer(fd: fd)
        layers.append(layer)
        diffIDs.append(diffID)
      }
      let config = ImageConfig(architecture: "amd64", os: "linux", rootfs: .init(diffIDs: diffIDs))
      let image = try store.storeImage(
        config: config, layers: layers, reference: try ImageReference(parsing: "parents-test"))
      try store.unpack(image)
      let chains = ChainID.chain(diffIDs)
      let l2 = try store.snapshots.filesystemDirectory(chains[1].description)
      let l3 = try store.snapshots.filesystemDirectory(chains[2].description)
      func attrs(_ p: String) -> (mode: mode_t, uid: uid_t, gid: gid_t)? {
        lstatOf(p).map { ($0.st_mode & 0o7777, $0.st_uid, $0.st_gid) }
      }
      #expect(attrs(l2 + "/tmp")?.mode == 0o1777)
      #expect(attrs(l2 + "/home")?.mode == 0o755)
      #expect(attrs(l2 + "/home/user").map { [$0.mode, mode_t($0.uid), mode_t($0.gid)] } == [0o700, 1000, 1000])
      // Nothing below: the default.
      #expect(attrs(l2 + "/new")?.mode == 0o755 && attrs(l2 + "/new/deep")?.mode == 0o755)
      // An explicit entry keeps its own mode.
      #expect(attrs(l2 + "/explicit")?.mode == 0o711)
      // Two layers up, the nearest layer with the path decides (l2 made tmp 1777 too).
      #expect(attrs(l3 + "/tmp")?.mode == 0o1777)
      // "link" is a symlink below: the directory l3 made is not given the target's attributes.
      #expect(attrs(l3 + "/link")?.mode == 0o755)
    }
  }
}
