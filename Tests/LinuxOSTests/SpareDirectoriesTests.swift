import Foundation
import Testing

@testable import LinuxOS

/// Directories made ahead of need: taken with one rename, with their subdirectories and
/// modes, and made again in the background.
struct SpareDirectoriesTests {
  static func mode(_ path: String) -> mode_t {
    var st = stat()
    return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
  }

  @Test func sparesAreTakenWithOneRenameAndRefilled() throws {
    let dir = "/tmp/berth-spares-test-\(getpid())"
    try? Files.removeTree(dir)
    try Files.makeDirectories(dir, mode: 0o755)
    defer { try? Files.removeTree(dir) }
    // What a crash left goes when the pool opens.
    try Files.makeDirectories(dir + "/spares/left-over/fs", mode: 0o755)
    let spares = try SpareDirectories(
      path: dir + "/spares", keep: 2, mode: 0o710, subdirectories: [("fs", 0o755), ("work", 0o700)])
    spares.waitUntilFull()
    #expect(try Files.list(dir + "/spares").count == 2)
    #expect(!Files.exists(dir + "/spares/left-over"))
    for i in 0..<5 {
      let target = dir + "/taken\(i)"
      if !spares.take(as: target) {
        spares.waitUntilFull()
        #expect(spares.take(as: target))
      }
      #expect(Self.mode(target) == 0o710)
      #expect(Self.mode(target + "/fs") == 0o755)
      #expect(Self.mode(target + "/work") == 0o700)
      #expect(try Files.list(target + "/fs").isEmpty)
    }
    spares.waitUntilFull()
    #expect(try Files.list(dir + "/spares").count == 2)
    // A destination that exists is refused: the caller makes its directory itself.
    try Files.makeDirectories(dir + "/exists/x", mode: 0o755)
    #expect(!spares.take(as: dir + "/exists"))
    spares.waitUntilFull()
  }

  /// Spares are made relative to the pool's directory: once that is deleted, a refill
  /// cannot bring it back (a scratch directory removed under a running pool stays gone).
  @Test func aDeletedPoolIsNotRecreated() throws {
    let dir = "/tmp/berth-spares-gone-\(getpid())"
    try? Files.removeTree(dir)
    try Files.makeDirectories(dir, mode: 0o755)
    let spares = try SpareDirectories(path: dir + "/spares", keep: 2, mode: 0o700)
    spares.waitUntilFull()
    try Files.removeTree(dir)
    #expect(!spares.take(as: "/tmp/berth-spares-gone-\(getpid())-taken"))
    spares.waitUntilFull()
    #expect(!Files.exists(dir))
  }
}
