// Diff and commit: changes made through a real overlay mount become a layer whose
// whiteouts and opaque directories hide the same things after unpacking.
import Foundation
import Images
import OCI
import Snapshots
import Testing

@Suite("Images: diff and commit")
struct CommitTests {
  @Test func containerChangesRoundTripThroughALayer() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/store")
      let base = try importSample(
        store, tmp: tmp, name: "base",
        files: """
          reg('etc/keep', b'k')
          reg('etc/delete-me', b'd')
          dir('data')
          reg('data/old', b'o')
          """)
      let mounts = try store.prepareContainerSnapshot("ctr", image: base)
      let rootfs = tmp + "/rootfs"
      try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: false)
      do {
        try mounts.mount(at: rootfs)
        defer { try? SnapshotMount.unmount(rootfs, detach: true) }
        try FileManager.default.removeItem(atPath: rootfs + "/etc/delete-me")
        try FileManager.default.removeItem(atPath: rootfs + "/data")
        try FileManager.default.createDirectory(
          atPath: rootfs + "/data", withIntermediateDirectories: false)
        try "n".write(toFile: rootfs + "/data/new", atomically: false, encoding: .utf8)
        try "h".write(toFile: rootfs + "/etc/added", atomically: false, encoding: .utf8)
        #expect(link(rootfs + "/etc/added", rootfs + "/etc/added-link") == 0)
        try FileManager.default.createSymbolicLink(
          atPath: rootfs + "/etc/sym", withDestinationPath: "added")
      }
      let upper = try store.snapshots.filesystemDirectory("ctr")
      let committed = try store.commit(
        upperDirectory: upper, parent: base, comment: "test",
        reference: try ImageReference(parsing: "committed"))
      #expect(committed.config.rootfs.diffIDs.count == 2)
      #expect(committed.config.history?.last?.comment == "test")

      // The layer holds OCI whiteouts, and its diffID is the hash of its uncompressed tar.
      let layerPath = store.content.path(for: committed.manifest.layers[1].digest)
      let names = String(decoding: try run(["tar", "-tzf", layerPath]), as: UTF8.self).split(
        separator: "\n")
      #expect(names.contains("etc/.wh.delete-me"))
      #expect(names.contains("data/.wh..wh..opq"))
      let uncompressed = try run(["gzip", "-dc", layerPath])
      try uncompressed.write(to: URL(fileURLWithPath: tmp + "/u.tar"))
      #expect(try sha256Hex(ofFile: tmp + "/u.tar") == committed.config.rootfs.diffIDs[1].encoded)

      // Unpacked in a fresh store and mounted, the result looks like the container did.
      try withTempDir { tmp2 in
        let fd = open(tmp2 + "/img.tar", O_WRONLY | O_CREAT, 0o644)
        try store.save(["committed"], to: fd)
        close(fd)
        let other = try ImageStore(root: tmp2 + "/store")
        let rfd = open(tmp2 + "/img.tar", O_RDONLY)
        defer { close(rfd) }
        try other.load(fd: rfd)
        let m = try other.prepareContainerSnapshot("c2", image: try other.image("committed"))
        let r2 = tmp2 + "/rootfs"
        try FileManager.default.createDirectory(atPath: r2, withIntermediateDirectories: false)
        try m.mount(at: r2)
        defer { try? SnapshotMount.unmount(r2, detach: true) }
        #expect(readText(r2 + "/etc/keep") == "k")
        #expect(!FileManager.default.fileExists(atPath: r2 + "/etc/delete-me"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: r2 + "/data") == ["new"])
        #expect(lstatOf(r2 + "/etc/added")?.st_ino == lstatOf(r2 + "/etc/added-link")?.st_ino)
        #expect(
          try FileManager.default.destinationOfSymbolicLink(atPath: r2 + "/etc/sym") == "added")
      }
    }
  }
}
