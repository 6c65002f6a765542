// Applying with file writer threads (LayerApplyOptions.writerThreads): the tree matches
// `tar -xf` and the inline writer, whatever the number of threads; hostile entries and
// write errors in the middle stop the apply, the threads, and close every descriptor.
import Archive
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Archive: file writer threads")
struct ArchiveWriterThreadsTests {
  /// Thousands of entries in deep directories, multi-MiB and sparse-tailed files, hardlinks
  /// to files whose data is still queued, and symlinks. (A late entry that replaces a file
  /// would leave GNU tar's directory mtime at "now"; ArchiveApplyTests covers replacing.)
  static let bigLayer = """
    import os, random
    random.seed(7)
    for d in range(40):
        parts = ['d%d_%d' % (d, k) for k in range(1 + d % 12)]
        for k in range(1, len(parts) + 1):
            dir('/'.join(parts[:k]), mode=0o750 + (k % 3), mtime=1200000000 + d * 20 + k)
        path = '/'.join(parts)
        for f in range(60):
            reg(path + '/f%d' % f, os.urandom(random.choice([0, 1, 17, 511, 4096, 70000])),
                mode=random.choice([0o644, 0o600, 0o755, 0o4755]), uid=d, gid=f, mtime=1300000000 + f)
        link(path + '/hard', path + '/f3')
        sym(path + '/soft', 'f4')
    reg('big1', os.urandom(5 * 1024 * 1024 + 3), mtime=1400000000)
    link('big1.link', 'big1')
    reg('big2', b'z' * (3 * 1024 * 1024), pax={'SCHILY.xattr.user.note': 'big'})
    """

  func applyTree(_ tar: String, _ root: String, threads: Int) throws -> LayerApplyResult {
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
    var o = LayerApplyOptions()
    o.writerThreads = threads
    return try LayerApplier.apply(path: tar, into: root, options: o)
  }

  /// Every path's type, mode, owner, link count, mtime and link target, sorted.
  func listing(_ dir: String) throws -> String {
    let out = try run(["find", dir, "-mindepth", "1", "-printf", "%P %y %m %U %G %n %T@ %l\n"])
    return String(decoding: out, as: UTF8.self).split(separator: "\n").sorted().joined(
      separator: "\n")
  }

  /// Descriptors of this process that point beneath `dir`.
  func openDescriptors(under dir: String) -> [String] {
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return fds.compactMap { fd in
      guard let t = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd)
      else { return nil }
      return t.hasPrefix(dir + "/") ? t : nil
    }
  }

  @Test(arguments: [0, 1, 3])
  func manyEntriesMatchTar(_ threads: Int) throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(tar, Self.bigLayer)
      let reference = tmp + "/reference"
      try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: false)
      try run(["tar", "-xf", tar, "-C", reference])
      let r = try applyTree(tar, tmp + "/root", threads: threads)
      #expect(r.entries > 2500)
      try run(["diff", "-r", "--no-dereference", reference, tmp + "/root"])
      let mine = try listing(tmp + "/root").split(separator: "\n")
      let tars = try listing(reference).split(separator: "\n")
      #expect(Set(mine).symmetricDifference(tars).sorted() == [])
      #expect(xattr(tmp + "/root/big2", "user.note") == "big")
      #expect(openDescriptors(under: tmp).isEmpty)
    }
  }

  @Test func whiteoutsAndOpaqueDirsAfterQueuedFilesMatchInline() throws {
    try withTempDir { tmp in
      let tar = tmp + "/layer.tar"
      try makeTar(
        tar,
        """
        import os
        dir('a')
        for i in range(300):
            reg('a/f%d' % i, os.urandom(i * 100))
        reg('a/.wh.f7')
        reg('a/.wh.f299')
        dir('o')
        for i in range(50):
            reg('o/g%d' % i, b'g' * i)
        reg('o/.wh..wh..opq')
        reg('o/after', b'after')
        reg('.wh.a')
        dir('a')
        reg('a/new', b'new')
        """)
      _ = try applyTree(tar, tmp + "/inline", threads: 0)
      _ = try applyTree(tar, tmp + "/threads", threads: 2)
      #expect(try listing(tmp + "/threads") == (try listing(tmp + "/inline")))
      try run(["diff", "-r", "--no-dereference", tmp + "/inline", tmp + "/threads"])
      #expect(xattr(tmp + "/threads/o", "trusted.overlay.opaque") == "y")
      #expect(readText(tmp + "/threads/a/new") == "new")
      #expect(!exists(tmp + "/threads/a/f5"))
      #expect(openDescriptors(under: tmp).isEmpty)
    }
  }

  @Test(arguments: [
    "reg('../outside/pwned', b'x')",
    "sym('esc', '../outside')\nreg('esc/pwned', b'x')",
    "link('pwned', '../outside/passwd')",
  ])
  func hostileEntryInTheMiddleStopsEverything(_ hostile: String) throws {
    try withTempDir { tmp in
      let root = tmp + "/root"
      let outside = tmp + "/outside"
      try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
      try "secret".write(toFile: outside + "/passwd", atomically: false, encoding: .utf8)
      let tar = tmp + "/evil.tar"
      try makeTar(
        tar,
        """
        import os
        for i in range(400):
            reg('before/f%d' % i, os.urandom(20000))
        reg('before/big', os.urandom(4 * 1024 * 1024))
        \(hostile)
        for i in range(100):
            reg('after/f%d' % i, b'x')
        """)
      #expect(throws: ArchiveError.self) { try applyTree(tar, root, threads: 2) }
      #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["passwd"])
      #expect(readText(outside + "/passwd") == "secret")
      #expect(!exists(root + "/after"))
      #expect(openDescriptors(under: tmp).isEmpty)
    }
  }

  @Test func writeErrorOnAWriterThreadStopsTheApply() throws {
    guard geteuid() == 0 else { return }  // needs a small tmpfs
    try withTempDir { tmp in
      let small = tmp + "/small"
      try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: false)
      guard mount("tmpfs", small, "tmpfs", 0, "size=256k") == 0 else {
        throw TestFailure("mount tmpfs: errno \(errno)")
      }
      defer { umount2(small, Int32(MNT_DETACH)) }
      let tar = tmp + "/layer.tar"
      try makeTar(
        tar,
        """
        import os
        for i in range(20):
            reg('f%d' % i, os.urandom(100000))
        """)
      var caught: ArchiveError?
      do { _ = try applyTree(tar, small + "/root", threads: 2) } catch let e as ArchiveError {
        caught = e
      }
      guard case .system(_, _, let e) = caught else {
        Issue.record("expected a system error, got \(String(describing: caught))")
        return
      }
      #expect(e == ENOSPC)
      #expect(openDescriptors(under: small).isEmpty)
    }
  }
}
