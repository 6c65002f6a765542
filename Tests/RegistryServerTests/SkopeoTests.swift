// A real client: skopeo copies an image made locally (umoci + a busybox rootfs) into the
// registry, inspects it, and copies it back out; the digests must survive the round trip.
import ContentStore
import Foundation
import JSONCoding
import Testing

enum Tools {
  static var repositoryRoot: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }
  static var haveImageTools: Bool {
    which("skopeo") != nil && which("umoci") != nil && FileManager.default.isExecutableFile(atPath: "/bin/busybox")
  }
}

/// An OCI layout at `layout` holding `layout:tag`: one busybox layer, CMD sh.
func makeBusyboxLayout(_ layout: String, tag: String, scratch: String) async throws {
  let umoci = try #require(which("umoci"))
  try await runTool(umoci, ["init", "--layout", layout])
  try await runTool(umoci, ["new", "--image", "\(layout):\(tag)"])
  try await runTool(umoci, ["unpack", "--image", "\(layout):\(tag)", scratch])
  try await runTool("/bin/sh", [Tools.repositoryRoot + "/scripts/make-busybox-rootfs.sh", scratch + "/rootfs"])
  try await runTool(umoci, ["repack", "--image", "\(layout):\(tag)", scratch])
  try await runTool(umoci, ["config", "--image", "\(layout):\(tag)", "--config.cmd", "sh"])
}

/// The manifest digest `tag` names in an OCI layout's index.json.
func layoutManifestDigest(_ layout: String) throws -> String {
  struct Index: Codable {
    struct Entry: Codable { var digest: String }
    var manifests: [Entry]
  }
  let index = try JSON.decode(
    Index.self, from: [UInt8](try Data(contentsOf: URL(fileURLWithPath: layout + "/index.json"))))
  return try #require(index.manifests.last?.digest)
}

@Suite struct SkopeoTests {
  @Test(.enabled(if: Tools.haveImageTools, "needs skopeo, umoci and busybox-static"))
  func skopeoCopiesInInspectsAndCopiesOut() async throws {
    try await withTemporaryDirectory { dir in
      try await makeBusyboxLayout(dir + "/src", tag: "base", scratch: dir + "/bundle")
      let sourceDigest = try layoutManifestDigest(dir + "/src")
      try await withRegistry { r in
        let skopeo = try #require(which("skopeo"))
        let ref = "docker://127.0.0.1:\(r.port)/test/busybox:1"
        try await runTool(skopeo, ["--insecure-policy", "copy", "--dest-tls-verify=false", "oci:\(dir)/src:base", ref])
        let inspect = try await runTool(skopeo, ["inspect", "--tls-verify=false", ref])
        struct Inspect: Codable {
          var Digest: String
          var Layers: [String]
        }
        let parsed = try JSON.decode(Inspect.self, from: Array(inspect.utf8))
        #expect(parsed.Digest == sourceDigest)
        #expect(parsed.Layers.count == 1)
        let raw = try await runTool(skopeo, ["inspect", "--raw", "--tls-verify=false", ref])
        // The bytes served are the bytes pushed: they hash to the source's digest.
        #expect(SHA256Hasher.digest(Array(raw.utf8)).string == sourceDigest)

        // A second copy mounts nothing new; then copy back out and compare.
        try await runTool(
          skopeo,
          [
            "--insecure-policy", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", ref,
            "docker://127.0.0.1:\(r.port)/other/busybox:copy",
          ])
        try await runTool(skopeo, ["--insecure-policy", "copy", "--src-tls-verify=false", ref, "oci:\(dir)/back:back"])
        #expect(try layoutManifestDigest(dir + "/back") == sourceDigest)
        let tags = try await r.request("GET", "/v2/other/busybox/tags/list")
        #expect(tags.text.contains("copy"))
      }
    }
  }

  /// The `berth` CLI beside berth-registry (both in the build products directory).
  static var berth: String? {
    guard let registry = RegistryBinary.path else { return nil }
    let candidate = URL(fileURLWithPath: registry).deletingLastPathComponent().appendingPathComponent("berth").path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
  }

  @Test(.enabled(if: Tools.haveImageTools && SkopeoTests.berth != nil, "needs skopeo, umoci, busybox-static, berth"))
  func berthRegistryServeRunsTheServerWithItsFlags() async throws {
    try await withTemporaryDirectory { dir in
      try await makeBusyboxLayout(dir + "/src", tag: "base", scratch: dir + "/bundle")
      let sourceDigest = try layoutManifestDigest(dir + "/src")
      let berth = try #require(Self.berth)
      let server = Process()
      server.executableURL = URL(fileURLWithPath: berth)
      server.arguments = ["registry", "serve", "127.0.0.1:0", "--root", dir + "/root", "--disable-delete"]
      let out = Pipe()
      server.standardOutput = out
      server.standardError = FileHandle.nullDevice
      try server.run()
      defer {
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
      }
      // berth execs berth-registry: the same pid says "listening on 127.0.0.1:PORT".
      var line = Data()
      while !line.contains(0x0a) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
      }
      let text = String(decoding: line, as: UTF8.self)
      let port = try #require(Int(text.split(separator: "\n").first?.split(separator: ":").last ?? ""), "\(text)")
      let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(server.processIdentifier)/exe")
      #expect(exe.hasSuffix("/berth-registry"))

      let skopeo = try #require(which("skopeo"))
      let ref = "docker://127.0.0.1:\(port)/serve/busybox:1"
      try await runTool(skopeo, ["--insecure-policy", "copy", "--dest-tls-verify=false", "oci:\(dir)/src:base", ref])
      let inspect = try await runTool(skopeo, ["inspect", "--tls-verify=false", ref])
      #expect(inspect.contains(sourceDigest), "\(inspect)")
      // --root went through: the repository is there.
      #expect(FileManager.default.fileExists(atPath: dir + "/root/repositories/serve/busybox/_manifests"))
      // --disable-delete went through too.
      let status = try await runTool(
        try #require(which("curl")),
        [
          "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE",
          "http://127.0.0.1:\(port)/v2/serve/busybox/manifests/\(sourceDigest)",
        ])
      #expect(status == "405", "DELETE with --disable-delete: \(status)")
    }
  }

  @Test(.enabled(if: SkopeoTests.berth != nil, "needs the built berth"))
  func berthRegistryRefusesAnUnknownVerb() async throws {
    let berth = try #require(Self.berth)
    await #expect(throws: (any Error).self) { try await runTool(berth, ["registry", "nonsense"]) }
    let help = try await runTool(berth, ["registry", "--help"])
    #expect(help.contains("serve") && help.contains("gc"))
  }
}
