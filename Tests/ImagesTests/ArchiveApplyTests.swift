// Applying layers: every entry kind, whiteouts in overlay form, compression, diffID.
import Archive
import CArchive
import ContentStore
import Foundation
import Testing

@Suite("Archive: apply layers")
struct ArchiveApplyTests {
  @Test func appliesEveryEntryKind() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(
        tar,
        """
        dir('etc', mode=0o755, mtime=1111111111)
        reg('etc/hosts', b'127.0.0.1 localhost\\n', mode=0o640, uid=12, gid=34, mtime=1234567890)
        reg('bin/tool', b'#!/bin/sh\\n', mode=0o4755)
        sym('etc/link', '../bin/tool', uid=5, gid=6)
        link('etc/hosts2', 'etc/hosts')
        dev('dev/null', 'c', 1, 3, mode=0o666)
        dev('dev/sda', 'b', 8, 0, mode=0o660)
        dev('run/fifo', 'p', mode=0o600)
        reg('etc/cap', b'x', pax={'SCHILY.xattr.user.comment': 'hello'})
        reg('etc/forged', b'x', pax={'SCHILY.xattr.trusted.overlay.opaque': 'y'})
        reg('./dot/prefixed', b'ok')
        """)
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      let hasher = SHA256Hasher()
      let result = try LayerApplier.apply(path: tar, into: root) { hasher.update($0) }
      #expect(hasher.finalize().encoded == (try sha256Hex(ofFile: tar)))
      #expect(result.entries == 11)

      #expect(readText(root + "/etc/hosts") == "127.0.0.1 localhost\n")
      let hosts = try #require(lstatOf(root + "/etc/hosts"))
      #expect(hosts.st_mode & 0o7777 == 0o640)
      #expect(hosts.st_uid == 12 && hosts.st_gid == 34)
      #expect(hosts.st_mtim.tv_sec == 1_234_567_890)
      #expect(hosts.st_nlink == 2)
      #expect(lstatOf(root + "/etc/hosts2")?.st_ino == hosts.st_ino)
      #expect((lstatOf(root + "/bin/tool")?.st_mode ?? 0) & 0o7777 == 0o4755)
      #expect(fileType(root + "/etc/link") == S_IFLNK)
      #expect(
        try FileManager.default.destinationOfSymbolicLink(atPath: root + "/etc/link")
          == "../bin/tool")
      #expect(lstatOf(root + "/etc/link")?.st_uid == 5)
      let null = try #require(lstatOf(root + "/dev/null"))
      #expect(null.st_mode & S_IFMT == S_IFCHR && null.st_rdev == berth_archive_makedev(1, 3))
      #expect(null.st_mode & 0o777 == 0o666)
      #expect(fileType(root + "/dev/sda") == S_IFBLK)
      #expect(fileType(root + "/run/fifo") == S_IFIFO)
      #expect(xattr(root + "/etc/cap", "user.comment") == "hello")
      #expect(xattr(root + "/etc/forged", "trusted.overlay.opaque") == nil)
      #expect(readText(root + "/dot/prefixed") == "ok")
      // Directory times are set after the children were written.
      #expect(lstatOf(root + "/etc")?.st_mtim.tv_sec == 1_111_111_111)
    }
  }

  @Test func convertsWhiteoutsToOverlayForm() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(
        tar,
        """
        dir('a')
        reg('a/.wh.gone', uid=0)
        dir('opaque')
        reg('opaque/.wh..wh..opq')
        reg('opaque/kept', b'new')
        reg('.wh..wh.plnk', b'')
        reg('deep/er/.wh.x')
        """)
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      try LayerApplier.apply(path: tar, into: root)
      let wh = try #require(lstatOf(root + "/a/gone"))
      #expect(wh.st_mode & S_IFMT == S_IFCHR && wh.st_rdev == 0)
      #expect(!exists(root + "/a/.wh.gone"))
      #expect(xattr(root + "/opaque", "trusted.overlay.opaque") == "y")
      #expect(readText(root + "/opaque/kept") == "new")
      #expect(!exists(root + "/opaque/.wh..wh..opq"))
      #expect(!exists(root + "/.wh..wh.plnk"))
      #expect(fileType(root + "/deep/er/x") == S_IFCHR)
    }
  }

  @Test func laterEntriesReplaceEarlierOnes() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(
        tar,
        """
        reg('x', b'file')
        dir('x')
        reg('x/inner', b'1')
        reg('x', b'file again')
        dir('d')
        reg('d/f', b'a')
        dir('d', mode=0o700)
        """)
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      try LayerApplier.apply(path: tar, into: root)
      #expect(readText(root + "/x") == "file again")
      #expect(readText(root + "/d/f") == "a")
      #expect((lstatOf(root + "/d")?.st_mode ?? 0) & 0o777 == 0o700)
    }
  }

  @Test(arguments: ["gzip", "zstd", "none"])
  func decompressesAndHashesTheUncompressedStream(_ compression: String) throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(
        tar,
        """
        import os
        reg('big', os.urandom(3 * 1024 * 1024 + 17))
        for i in range(200):
            reg('many/f%d' % i, b'x' * i)
        """)
      let diffID = try sha256Hex(ofFile: tar)
      var input = tar
      if compression == "gzip" {
        try run(["gzip", "-k", tar])
        input = tar + ".gz"
      } else if compression == "zstd" {
        try run(["zstd", "-q", tar, "-o", tar + ".zst"])
        input = tar + ".zst"
      }
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      let hasher = SHA256Hasher()
      let r = try LayerApplier.apply(path: input, into: root) { hasher.update($0) }
      #expect(hasher.finalize().encoded == diffID)
      #expect(r.entries == 201)
      #expect(lstatOf(root + "/big")?.st_size == 3 * 1024 * 1024 + 17)
      #expect(readText(root + "/many/f199")?.count == 199)
    }
  }

  @Test func emptyLayerIsFine() throws {
    try withTempDir { tmp in
      let tar = tmp + "/empty.tar"
      try makeTar(tar, "pass")
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      let r = try LayerApplier.apply(path: tar, into: root)
      #expect(r.entries == 0)
    }
  }
}
