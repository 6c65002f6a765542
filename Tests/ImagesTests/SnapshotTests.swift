// Overlay snapshotter: metadata, mounts, and real overlay mounts (needs root).
import Foundation
import Glibc
import Snapshots
import Testing

@Suite("Snapshots: overlay snapshotter")
struct SnapshotTests {
  static func inode(_ path: String) -> ino_t? {
    var st = stat()
    return lstat(path, &st) == 0 ? st.st_ino : nil
  }

  static func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<500 where !condition() { usleep(2_000) }
    return condition()
  }

  /// Saves reuse a file made ahead of need; active snapshots come from spare directories
  /// and removed ones leave through the trash: nothing is left once the threads are done.
  @Test func savesAndPreparesUseFilesMadeAheadAndRemovalsEmptyTheTrash() throws {
    try withTempDir { tmp in
      let s = try OverlaySnapshotter(root: tmp + "/snap")
      let spare = tmp + "/snap/metadata.json.next"
      #expect(Self.eventually { Self.inode(spare) != nil })
      let ready = Self.inode(spare)
      _ = try s.prepare("base-active")
      // The metadata now is the file that was ready.
      #expect(Self.inode(tmp + "/snap/metadata.json") == ready)
      #expect(Self.eventually { Self.inode(spare) != nil })
      try s.commit("base", key: "base-active")
      for i in 0..<5 {
        let mounts = try s.prepare("c\(i)", parent: "base")
        #expect(FileManager.default.fileExists(atPath: mounts[0].upperDirectory ?? "/nonexistent"))
        try s.remove("c\(i)")
      }
      s.trash.waitUntilEmpty()
      #expect(try FileManager.default.contentsOfDirectory(atPath: tmp + "/snap/trash").isEmpty)
      let left = try FileManager.default.contentsOfDirectory(atPath: tmp + "/snap/snapshots")
      #expect(left.count == 1, "\(left)")  // only "base"
      #expect(s.list().map(\.key) == ["base"])
    }
  }

  @Test func prepareCommitViewRemove() throws {
    try withTempDir { tmp in
      let s = try OverlaySnapshotter(root: tmp + "/snap")
      let base = try s.prepare("base-active")
      #expect(
        base == [
          SnapshotMount(
            type: "bind", source: try s.filesystemDirectory("base-active"),
            options: ["rbind", "rw"])
        ])
      try "one".write(
        toFile: try s.filesystemDirectory("base-active") + "/f", atomically: false, encoding: .utf8)
      try s.commit("base", key: "base-active")
      #expect(s.stat("base")?.kind == .committed)
      #expect(s.stat("base-active") == nil)

      let m = try s.prepare("top-active", parent: "base")
      #expect(m.count == 1 && m[0].type == "overlay")
      #expect(m[0].lowerDirectories == [try s.filesystemDirectory("base")])
      #expect(m[0].upperDirectory == (try s.filesystemDirectory("top-active")))
      #expect(m[0].options.contains { $0.hasPrefix("workdir=") })
      try s.commit("top", key: "top-active")

      let v = try s.view("v", parent: "top")
      #expect(v[0].type == "overlay" && v[0].isReadOnly)
      #expect(
        v[0].lowerDirectories == [
          try s.filesystemDirectory("top"), try s.filesystemDirectory("base"),
        ])
      let v1 = try s.view("v1", parent: "base")
      #expect(
        v1 == [
          SnapshotMount(
            type: "bind", source: try s.filesystemDirectory("base"), options: ["rbind", "ro"])
        ])
      #expect(s.ancestors("v") == ["top", "base"])

      #expect(throws: SnapshotError.hasChildren("base", children: ["top", "v1"])) {
        try s.remove("base")
      }
      #expect(throws: SnapshotError.alreadyExists("v")) { try s.view("v", parent: "top") }
      #expect(throws: SnapshotError.parentNotCommitted(key: "x", parent: "v")) {
        try s.prepare("x", parent: "v")
      }
      #expect(throws: SnapshotError.notActive("v")) { try s.commit("y", key: "v") }

      // State survives a reopen; removing releases directories.
      let again = try OverlaySnapshotter(root: tmp + "/snap")
      #expect(again.list().map(\.key) == ["base", "top", "v", "v1"])
      let dir = try again.filesystemDirectory("v")
      try again.remove("v")
      #expect(!FileManager.default.fileExists(atPath: dir))
    }
  }

  @Test func orphanDirectoriesFromACrashAreRemovedOnOpen() throws {
    try withTempDir { tmp in
      let s = try OverlaySnapshotter(root: tmp + "/snap")
      _ = try s.prepare("a")
      try FileManager.default.createDirectory(
        atPath: tmp + "/snap/snapshots/99/fs", withIntermediateDirectories: true)
      _ = try OverlaySnapshotter(root: tmp + "/snap")
      #expect(!FileManager.default.fileExists(atPath: tmp + "/snap/snapshots/99"))
      #expect(FileManager.default.fileExists(atPath: try s.filesystemDirectory("a")))
    }
  }

  @Test func nonDurableChangesAreTheSameChanges() throws {
    try withTempDir { tmp in
      let s = try OverlaySnapshotter(root: tmp + "/snap")
      _ = try s.prepare("base")
      try s.commit("base-c", key: "base")
      let mounts = try s.prepare("rm-container", parent: "base-c", durable: false)
      #expect(mounts.count == 1)
      #expect(try OverlaySnapshotter(root: tmp + "/snap").stat("rm-container")?.kind == .active)
      let fs = try s.filesystemDirectory("rm-container")
      try s.remove("rm-container", durable: false)
      #expect(!FileManager.default.fileExists(atPath: fs))
      #expect(try OverlaySnapshotter(root: tmp + "/snap").stat("rm-container") == nil)
    }
  }

  /// A power loss can keep the metadata of a non-durable removal but not its directory:
  /// on open, such an active snapshot is dropped; committed ones are never guessed at.
  @Test func activeSnapshotsWhoseDirectoryIsGoneAreDroppedOnOpen() throws {
    try withTempDir { tmp in
      let s = try OverlaySnapshotter(root: tmp + "/snap")
      _ = try s.prepare("layer")
      try s.commit("layer-c", key: "layer")
      _ = try s.prepare("lost", parent: "layer-c")
      _ = try s.prepare("kept", parent: "layer-c")
      try FileManager.default.removeItem(
        atPath: URL(fileURLWithPath: try s.filesystemDirectory("lost")).deletingLastPathComponent().path)
      let reopened = try OverlaySnapshotter(root: tmp + "/snap")
      #expect(reopened.stat("lost") == nil)
      #expect(reopened.stat("kept")?.kind == .active)
      #expect(reopened.stat("layer-c")?.kind == .committed)
      #expect(try OverlaySnapshotter(root: tmp + "/snap").stat("lost") == nil)
    }
  }

  @Test func mountsAreRealOverlays() throws {
    try withTempDir { tmp in
      let s = try OverlaySnapshotter(root: tmp + "/snap")
      _ = try s.prepare("l1")
      try "lower".write(
        toFile: try s.filesystemDirectory("l1") + "/a", atomically: false, encoding: .utf8)
      try s.commit("c1", key: "l1")
      let mounts = try s.prepare("rw", parent: "c1")
      let target = tmp + "/mnt"
      try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
      try mounts.mount(at: target)
      defer { try? SnapshotMount.unmount(target, detach: true) }
      #expect(readText(target + "/a") == "lower")
      try "upper".write(toFile: target + "/b", atomically: false, encoding: .utf8)
      #expect(readText(try s.filesystemDirectory("rw") + "/b") == "upper")
      #expect(!FileManager.default.fileExists(atPath: try s.filesystemDirectory("c1") + "/b"))
    }
  }
}
