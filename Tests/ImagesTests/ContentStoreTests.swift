// Content store: ingest, verification, concurrency, crash residue, GC.
import ContentStore
import Foundation
import OCI
import Testing

@Suite("ContentStore")
struct ContentStoreTests {
  @Test func putReadInfoListDelete() throws {
    try withTempDir { tmp in
      let store = try ContentStore(root: tmp)
      let info = try store.put(Array("hello".utf8))
      #expect(
        info.digest.description
          == "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
      #expect(info.size == 5)
      #expect(try store.read(info.digest) == Data("hello".utf8))
      #expect(store.info(info.digest)?.size == 5)
      #expect(FileManager.default.fileExists(atPath: tmp + "/blobs/sha256/" + info.digest.encoded))
      #expect(try store.list().map(\.digest) == [info.digest])
      try store.delete(info.digest)
      #expect(!store.contains(info.digest))
      #expect(throws: ContentStoreError.notFound(info.digest)) { try store.read(info.digest) }
    }
  }

  @Test func verifiesDigestAndSizeAndLeavesNothingOnMismatch() throws {
    try withTempDir { tmp in
      let store = try ContentStore(root: tmp)
      let good = SHA256Hasher.digest(Array("good".utf8))
      #expect(throws: ContentStoreError.self) { try store.put(Array("evil".utf8), expected: good) }
      #expect(throws: ContentStoreError.self) {
        try store.ingest(expected: good, expectedSize: 3) { w in try w.write(Array("good".utf8)) }
      }
      #expect(try store.list().isEmpty)
      #expect(try FileManager.default.contentsOfDirectory(atPath: tmp + "/ingest").isEmpty)
      try store.put(Array("good".utf8), expected: good)
      #expect(store.contains(good))
    }
  }

  @Test func failedIngestLeavesNoBlobUnderItsFinalName() throws {
    try withTempDir { tmp in
      let store = try ContentStore(root: tmp)
      struct Interrupted: Error {}
      #expect(throws: Interrupted.self) {
        try store.ingest { w in
          try w.write(Array(repeating: 7, count: 3 << 20))
          throw Interrupted()
        }
      }
      #expect(try store.list().isEmpty)
      #expect(try FileManager.default.contentsOfDirectory(atPath: tmp + "/ingest").isEmpty)
    }
  }

  @Test func concurrentIngestsOfTheSameBlob() async throws {
    try await withTempDir { tmp in
      let store = try ContentStore(root: tmp)
      let bytes = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      let expected = SHA256Hasher.digest(bytes)
      try await withThrowingTaskGroup(of: Digest.self) { group in
        for _ in 0..<8 {
          group.addTask {
            try store.ingest(expected: expected) { w in
              for chunk in stride(from: 0, to: bytes.count, by: 100_000) {
                try w.write(Array(bytes[chunk..<min(chunk + 100_000, bytes.count)]))
              }
            }.digest
          }
        }
        for try await d in group { #expect(d == expected) }
      }
      #expect(try store.list().map(\.digest) == [expected])
      #expect(try store.read(expected) == Data(bytes))
      #expect(try FileManager.default.contentsOfDirectory(atPath: tmp + "/ingest").isEmpty)
    }
  }

  @Test func killedIngestLeavesOnlyATempFile() throws {
    // The store's side of a crash: a process killed (-9) while its temp file is in ingest/
    // leaves nothing under blobs/, and the stale temp file is collected. berthd itself
    // killed mid-load is DaemonTests/KilledLoadTests.
    try withTempDir { tmp in
      let store = try ContentStore(root: tmp)
      let script = """
        import os, sys, time
        fd = os.open(sys.argv[1] + '/ingest/' + str(os.getpid()) + '-1', os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        os.write(fd, b'x' * 1000000); os.fsync(fd)
        print('ready', flush=True); time.sleep(60)
        """
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
      p.arguments = ["-c", script, tmp]
      let out = Pipe()
      p.standardOutput = out
      try p.run()
      defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
      _ = out.fileHandleForReading.availableData
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      #expect(try store.list().isEmpty)
      #expect(try FileManager.default.contentsOfDirectory(atPath: tmp + "/ingest").count == 1)
      #expect(try store.removeStaleIngests(olderThan: 0) == 1)
    }
  }

  @Test func garbageCollectKeepsReachableBlobs() throws {
    try withTempDir { tmp in
      let store = try ContentStore(root: tmp)
      let a = try store.put(Array("a".utf8)).digest
      let b = try store.put(Array("b".utf8)).digest
      let c = try store.put(Array("c".utf8)).digest
      let keep = ContentStore.reachable(from: [a]) { $0 == a ? [b] : [] }
      #expect(keep == [a, b])
      #expect(try store.garbageCollect(keep: keep) == [c])
      #expect(store.contains(a) && store.contains(b) && !store.contains(c))
      // Fresh blobs survive a GC with a grace period.
      let d = try store.put(Array("d".utf8)).digest
      #expect(try store.garbageCollect(keep: keep, gracePeriod: 3600).isEmpty)
      #expect(store.contains(d))
    }
  }
}
