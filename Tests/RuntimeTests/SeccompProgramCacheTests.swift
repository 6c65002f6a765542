import Foundation
import OCI
import Seccomp
import Testing

@testable import Runtime

/// The runtime compiles each seccomp profile once and keeps the BPF under its root.
@Suite struct SeccompProgramCacheTests {
  static let denyMkdir = OCI.Seccomp(
    defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38)])

  static func withRoot(_ body: (String) throws -> Void) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("seccomp-cache-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    try body(root)
  }

  static func entries(_ root: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: root + "/.seccomp")) ?? []).sorted()
  }

  @Test func aSecondLookupReadsTheStoredProgram() throws {
    try Self.withRoot { root in
      let cache = SeccompProgramCache(root: root)
      let compiled = try cache.program(for: Self.denyMkdir)
      #expect(compiled == (try SeccompFilter.build(Self.denyMkdir).program()))
      let names = Self.entries(root)
      #expect(names.count == 1)
      let path = "\(root)/.seccomp/\(names[0])"
      let stored = try Data(contentsOf: URL(fileURLWithPath: path))
      // Stored whole: the key (profile JSON) is inside, so a read compares it.
      #expect(
        SeccompProgramCache.decode(Array(stored), key: try SeccompProgramCache.key(for: Self.denyMkdir)) == compiled)
      #expect(try cache.program(for: Self.denyMkdir) == compiled)
      #expect(Self.entries(root) == names)
    }
  }

  @Test func anotherProfileGetsItsOwnEntry() throws {
    try Self.withRoot { root in
      let cache = SeccompProgramCache(root: root)
      let first = try cache.program(for: Self.denyMkdir)
      var other = Self.denyMkdir
      other.syscalls?[0].errnoRet = 39
      let second = try cache.program(for: other)
      #expect(first != second)
      #expect(Self.entries(root).count == 2)
      #expect(try cache.program(for: Self.denyMkdir) == first)
    }
  }

  @Test func aDamagedOrForeignEntryIsRebuiltNotUsed() throws {
    try Self.withRoot { root in
      let cache = SeccompProgramCache(root: root)
      let good = try cache.program(for: Self.denyMkdir)
      let path = "\(root)/.seccomp/\(Self.entries(root)[0])"
      let original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
      let key = try SeccompProgramCache.key(for: Self.denyMkdir)

      // One flipped bit inside the program: the checksum fails.
      var flipped = original
      flipped[original.count - 20] ^= 0x01
      #expect(SeccompProgramCache.decode(flipped, key: key) == nil)
      // Cut short, or with bytes after the end.
      #expect(SeccompProgramCache.decode(Array(original.dropLast(3)), key: key) == nil)
      #expect(SeccompProgramCache.decode(original + [0], key: key) == nil)
      // An entry for another profile under this name: the stored key differs.
      var other = Self.denyMkdir
      other.defaultAction = "SCMP_ACT_LOG"
      let foreign = SeccompProgramCache.encode(
        try SeccompFilter.build(other).program(), key: try SeccompProgramCache.key(for: other))
      #expect(SeccompProgramCache.decode(foreign, key: key) == nil)

      for damaged in [flipped, foreign, Array("garbage".utf8)] {
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        #expect(try cache.program(for: Self.denyMkdir) == good)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == original)
      }
    }
  }

  @Test func anInvalidProfileFailsClearlyAndStoresNothing() throws {
    try Self.withRoot { root in
      var bad = Self.denyMkdir
      bad.defaultAction = "SCMP_ACT_EXPLODE"
      #expect(throws: SeccompError.unknownAction("SCMP_ACT_EXPLODE")) {
        try SeccompProgramCache(root: root).program(for: bad)
      }
      #expect(Self.entries(root).isEmpty)
    }
  }
}
