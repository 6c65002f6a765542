import Foundation
import Testing

@testable import LinuxOS

/// Removed trees leave their place at once (one rename) and are deleted by the bin's
/// background thread; what a crash left in the bin goes when it is next opened.
struct TrashBinTests {
  static func scratch(_ name: String) throws -> String {
    let dir = "/tmp/berth-trash-test-\(getpid())-\(name)"
    try? Files.removeTree(dir)
    try Files.makeDirectories(dir, mode: 0o755)
    return dir
  }

  static func makeTree(_ root: String) throws {
    try Files.makeDirectories(root + "/a/b", mode: 0o755)
    try Files.writeAtomically(root + "/a/b/file", Array("x".utf8))
    #expect(symlink("/etc", root + "/a/link-to-etc") == 0)
  }

  @Test func discardedTreesAreDeletedInTheBackground() throws {
    let dir = try Self.scratch("discard")
    defer { try? Files.removeTree(dir) }
    let bin = try TrashBin(path: dir + "/trash")
    for i in 0..<20 {
      try Self.makeTree(dir + "/tree\(i)")
      try bin.discard(dir + "/tree\(i)")
      #expect(!Files.exists(dir + "/tree\(i)"))
    }
    try bin.discard(dir + "/missing")  // nothing there: not an error
    bin.waitUntilEmpty()
    #expect(try Files.list(dir + "/trash").isEmpty)
    #expect(Files.exists("/etc/hostname"))  // the symlink was removed, not followed
  }

  @Test func leftoversOfACrashAreDeletedWhenOpened() throws {
    let dir = try Self.scratch("leftovers")
    defer { try? Files.removeTree(dir) }
    try Self.makeTree(dir + "/trash/left-by-a-crash")
    let bin = try TrashBin(path: dir + "/trash")
    bin.waitUntilEmpty()
    #expect(try Files.list(dir + "/trash").isEmpty)
  }

  @Test(.enabled(if: getuid() == 0)) func aMountInsideADiscardedTreeKeepsItsContent() throws {
    let dir = try Self.scratch("mount")
    defer {
      umount2(dir + "/elsewhere", Int32(MNT_DETACH))
      try? Files.removeTree(dir)
    }
    try Files.makeDirectories(dir + "/tree/mnt", mode: 0o755)
    try Files.makeDirectories(dir + "/elsewhere", mode: 0o755)
    #expect(mount("tmpfs", dir + "/elsewhere", "tmpfs", 0, nil) == 0)
    try Files.writeAtomically(dir + "/elsewhere/keep", Array("kept".utf8))
    #expect(mount(dir + "/elsewhere", dir + "/tree/mnt", nil, UInt(MS_BIND), nil) == 0)
    let bin = try TrashBin(path: dir + "/trash")
    try bin.discard(dir + "/tree")
    bin.waitUntilEmpty()
    // The bin did not descend into the other filesystem: the file is still there.
    #expect(Files.exists(dir + "/elsewhere/keep"))
    let left = try Files.list(dir + "/trash")
    #expect(left.count == 1)
    for name in left { umount2(dir + "/trash/\(name)/mnt", Int32(MNT_DETACH)) }
  }
}
