// The berth-registry executable's gc command, the server's periodic GC, and connection reuse.
import ContentStore
import Foundation
import OCI
import RegistryServer
import Testing

enum RegistryBinary {
  /// $BERTH_REGISTRY, or berth-registry in the build products directory (beside the test bundle).
  static var path: String? {
    if let p = ProcessInfo.processInfo.environment["BERTH_REGISTRY"] { return p }
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("berth-registry").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }
}

@Suite struct ExecutableTests {
  @Test(.enabled(if: RegistryBinary.path != nil, "berth-registry is not built (swift build --product berth-registry)"))
  func gcCommandRemovesOrphansOffline() async throws {
    try await withTemporaryDirectory { dir in
      let root = dir + "/root"
      let server = try RegistryServer(configuration: RegistryConfiguration(root: root, port: 0))
      let r = TestRegistry(server: server, port: try await server.start())
      let (manifest, _) = try await r.pushImage("cmd", "t", layers: [bytes("kept")])
      let orphan = try await r.pushBlob("cmd", bytes("orphan"))
      await server.shutdown()
      // Everything old; only the orphan is unreferenced.
      let store = try ContentStore(root: root)
      for blob in try store.list() {
        var times = [timespec(tv_sec: time(nil) - 7200, tv_nsec: 0), timespec(tv_sec: time(nil) - 7200, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, store.path(for: blob.digest), &times, 0)
      }
      let out = try await runTool(try #require(RegistryBinary.path), ["gc", "--root", root, "--grace", "3600"])
      #expect(out.contains("removed 1 blobs"), "\(out)")
      #expect(out.contains(orphan.string))
      #expect(!store.contains(orphan))
      #expect(store.contains(manifest))
      #expect(store.contains(SHA256Hasher.digest(bytes("kept"))))
    }
  }

  @Test func periodicGCRunsInTheServer() async throws {
    try await withRegistry({
      $0.gcInterval = 1
      $0.gcGracePeriod = 0
    }) { r in
      try await r.pushImage("periodic", "t", layers: [bytes("referenced")])
      let orphan = try await r.pushBlob("periodic", bytes("orphan blob"))
      var gone = false
      for _ in 0..<50 where !gone {
        try await Task.sleep(for: .milliseconds(100))
        gone = !r.server.storage.blobs.contains(orphan)
      }
      #expect(gone)
      #expect(try await r.request("GET", "/v2/periodic/manifests/t").status == 200)
      #expect(
        try await r.request("HEAD", "/v2/periodic/blobs/\(SHA256Hasher.digest(bytes("referenced")))").status == 200)
    }
  }

  @Test(.enabled(if: which("curl") != nil, "needs curl"))
  func keepAliveConnectionServesSeveralRequests() async throws {
    try await withRegistry { r in
      let digest = try await r.pushBlob("ka", bytes("kept alive"))
      let base = "http://127.0.0.1:\(r.port)"
      let verbose = try await runToolStderr(
        try #require(which("curl")),
        ["-sS", "-v", "-o", "/dev/null", "-o", "/dev/null", "\(base)/v2/", "\(base)/v2/ka/blobs/\(digest)"])
      #expect(verbose.contains("Re-using existing connection"), "\(verbose)")
      #expect(verbose.components(separatedBy: "< HTTP/1.1 200").count == 3, "\(verbose)")
    }
  }
}

/// Like runTool, but returns what the program wrote to stderr.
func runToolStderr(_ path: String, _ arguments: [String]) async throws -> String {
  try await offThread {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let err = Pipe()
    p.standardOutput = FileHandle.nullDevice
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw TestFailure("\(path) exited \(p.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
  }
}
