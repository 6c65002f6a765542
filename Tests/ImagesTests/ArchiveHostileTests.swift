// Hostile layers: each is refused and nothing is written outside the target.
import Archive
import Foundation
import Testing

@Suite("Archive: hostile layers are refused")
struct ArchiveHostileTests {
  /// Applies a crafted tar into <tmp>/root with <tmp>/outside next to it; returns the error.
  func refuse(
    _ body: String, mode: String = "w", options: LayerApplyOptions = LayerApplyOptions(),
    prepare: (String) throws -> Void = { _ in }
  ) throws -> ArchiveError? {
    try withTempDir { tmp in
      let root = tmp + "/root"
      let outside = tmp + "/outside"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
      try "secret".write(toFile: outside + "/passwd", atomically: false, encoding: .utf8)
      try prepare(tmp)
      let tar = tmp + "/evil.tar"
      try makeTar(tar, mode: mode, body)
      var caught: ArchiveError?
      do {
        try LayerApplier.apply(path: tar, into: root, options: options)
      } catch let e as ArchiveError {
        caught = e
      }
      // Nothing escaped: outside still holds exactly the one untouched file.
      let names = try FileManager.default.contentsOfDirectory(atPath: outside)
      #expect(names == ["passwd"])
      #expect(readText(outside + "/passwd") == "secret")
      #expect(xattr(outside, "trusted.overlay.opaque") == nil)
      return caught
    }
  }

  @Test func dotDotIsRefused() throws {
    let e = try refuse("reg('../outside/pwned', b'x')")
    #expect(e == .unsafePath(path: "../outside/pwned", reason: "contains a \"..\" component"))
  }

  @Test func dotDotInTheMiddleIsRefused() throws {
    let e = try refuse("dir('a')\nreg('a/../../outside/pwned', b'x')")
    guard case .unsafePath = e else {
      Issue.record("expected unsafePath, got \(String(describing: e))")
      return
    }
  }

  @Test func absolutePathIsRefused() throws {
    let e = try refuse("reg('/tmp/berth-absolute-pwned', b'x')")
    guard case .unsafePath(_, let reason) = e else {
      Issue.record("got \(String(describing: e))")
      return
    }
    #expect(reason == "is absolute")
    #expect(!exists("/tmp/berth-absolute-pwned"))
  }

  @Test func symlinkAncestorIsRefused() throws {
    // A symlink in the layer pointing outside, then a file "through" it.
    let e = try refuse("sym('escape', '../outside')\nreg('escape/pwned', b'x')")
    #expect(e == .symlinkInPath(path: "escape"))
  }

  @Test func absoluteSymlinkAncestorIsRefused() throws {
    let e = try refuseDynamic { tmp in
      "sym('escape', '\(tmp)/outside')\nreg('escape/sub/pwned', b'x')"
    }
    #expect(e == .symlinkInPath(path: "escape/sub") || e == .symlinkInPath(path: "escape"))
  }

  func refuseDynamic(_ makeBody: (String) -> String) throws -> ArchiveError? {
    try withTempDir { tmp in
      let root = tmp + "/root"
      let outside = tmp + "/outside"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
      try "secret".write(toFile: outside + "/passwd", atomically: false, encoding: .utf8)
      let tar = tmp + "/evil.tar"
      try makeTar(tar, makeBody(tmp))
      var caught: ArchiveError?
      do {
        try LayerApplier.apply(path: tar, into: root)
      } catch let e as ArchiveError {
        caught = e
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["passwd"])
      return caught
    }
  }

  @Test func preexistingSymlinkInTargetIsNotFollowed() throws {
    // The target already holds a symlink (e.g. from a bad earlier state); entries below it are refused.
    let e = try refuse("reg('pre/pwned', b'x')") { tmp in
      try FileManager.default.createSymbolicLink(
        atPath: tmp + "/root/pre", withDestinationPath: tmp + "/outside")
    }
    #expect(e == .symlinkInPath(path: "pre"))
  }

  @Test func whiteoutThroughSymlinkIsRefused() throws {
    let e = try refuse("sym('escape', '../outside')\nreg('escape/.wh.passwd')")
    #expect(e == .symlinkInPath(path: "escape"))
  }

  @Test func opaqueMarkerThroughSymlinkIsRefused() throws {
    let e = try refuse("sym('escape', '../outside')\nreg('escape/.wh..wh..opq')")
    #expect(e == .symlinkInPath(path: "escape"))
  }

  @Test func hardlinkTargetThroughSymlinkIsRefused() throws {
    let e = try refuse("sym('escape', '../outside')\nlink('stolen', 'escape/passwd')")
    #expect(e == .symlinkInPath(path: "escape"))
  }

  @Test func hardlinkTargetWithDotDotIsRefused() throws {
    let e = try refuse("link('stolen', '../outside/passwd')")
    guard case .badHardlink = e else {
      Issue.record("got \(String(describing: e))")
      return
    }
  }

  @Test func hardlinkToAbsoluteTargetIsRefused() throws {
    let e = try refuse("link('stolen', '/etc/passwd')")
    guard case .badHardlink = e else {
      Issue.record("got \(String(describing: e))")
      return
    }
  }

  @Test func writingThroughAHardlinkedSymlinkIsRefused() throws {
    // A hardlink to a symlink is a symlink; a later entry below it must still be refused.
    let e = try refuse("sym('s', '../outside')\nlink('h', 's')\nreg('h/pwned', b'x')")
    #expect(e == .symlinkInPath(path: "h"))
  }

  @Test func gzipBombIsRefusedBySize() throws {
    var o = LayerApplyOptions()
    o.maxExpandedBytes = 1 << 20
    let e = try refuse("reg('zeros', bytes(8 * 1024 * 1024))", mode: "w:gz", options: o)
    #expect(e == .expandedSizeLimit(limit: 1 << 20))
  }

  @Test func gzipBombIsRefusedByRatio() throws {
    var o = LayerApplyOptions()
    o.maxCompressionRatio = 50
    o.ratioGraceBytes = 0
    let e = try refuse("reg('zeros', bytes(8 * 1024 * 1024))", mode: "w:gz", options: o)
    #expect(e == .compressionRatioLimit(limit: 50))
  }

  @Test func truncatedGzipIsAnError() throws {
    try withTempDir { tmp in
      let tar = tmp + "/l.tar"
      try makeTar(tar, mode: "w:gz", "import os\nreg('f', os.urandom(100000))")
      let data = try Data(contentsOf: URL(fileURLWithPath: tar))
      try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: tar))
      let root = tmp + "/root"
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
      #expect(throws: (any Error).self) { try LayerApplier.apply(path: tar, into: root) }
    }
  }
}
