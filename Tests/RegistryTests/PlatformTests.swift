// A multi-platform index: the host's platform by default, `--platform` for another.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

@Suite(.enabled(if: haveTools && isRoot, "needs root, docker-registry, skopeo, htpasswd, openssl"))
struct PlatformTests {
  @Test func indexPicksHostPlatformAndPlatformOptionPicksAnother() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        let amd = try b.addImage(
          [try b.addLayer(["arch": Data("amd64".utf8)])], platform: Platform(architecture: "amd64", os: "linux"))
        let arm = try b.addImage(
          [try b.addLayer(["arch": Data("arm64".utf8)])],
          platform: Platform(architecture: "arm64", os: "linux", variant: "v8"))
        let armv7 = try b.addImage(
          [try b.addLayer(["arch": Data("armv7".utf8)])],
          platform: Platform(architecture: "arm", os: "linux", variant: "v7"))
        let index = try b.addIndex([arm, amd, armv7])
        try b.tag(index, "multi")
        try b.copy("multi", to: "\(reg.host)/m/app:multi")
        let ref = try ImageReference(parsing: "\(reg.host)/m/app:multi")
        let repoDigest = "\(reg.host)/m/app@\(index.digest)"
        try await withClient { c in
          let host = try ImageStore(root: dir + "/host", platform: Platform(architecture: "amd64", os: "linux"))
          let p1 = try await c.pull(reference: ref, into: host, unpack: false)
          #expect(p1.image.manifestDescriptor.digest == amd.digest)
          #expect(p1.image.config.architecture == "amd64")
          // RepoDigest is the index's, as docker reports it.
          #expect(p1.repoDigest == repoDigest)

          let other = try ImageStore(root: dir + "/arm")
          let armPlatform = try #require(Platform(parsing: "linux/arm64"))
          let p2 = try await c.pull(reference: ref, platform: armPlatform, into: other, unpack: false)
          #expect(p2.image.manifestDescriptor.digest == arm.digest)
          #expect(p2.image.config.architecture == "arm64")
          // The name resolves to the arm64 image even on an amd64 store.
          #expect(try other.image(ref.description).manifestDescriptor.digest == arm.digest)

          let v7 = try await c.pull(
            reference: ref, platform: try #require(Platform(parsing: "linux/arm/v7")), into: other, unpack: false)
          #expect(v7.image.manifestDescriptor.digest == armv7.digest)

          await #expect {
            try await c.pull(
              reference: ref, platform: try #require(Platform(parsing: "linux/s390x")), into: other, unpack: false)
          } throws: { e in "\(e)".contains("no matching manifest for linux/s390x") && "\(e)".contains("linux/amd64") }
        }
      }
    }
  }

  @Test func dockerSchema2ManifestListIsNegotiatedAndResolvable() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        let amd = try b.addImage([try b.addLayer(["x": Data("amd".utf8)])])
        let arm = try b.addImage(
          [try b.addLayer(["x": Data("arm".utf8)])], platform: Platform(architecture: "arm64", os: "linux"))
        try b.tag(try b.addIndex([amd, arm]), "multi")
        // skopeo converts to Docker's media types: a manifest list of schema 2 manifests.
        try b.copy("multi", to: "\(reg.host)/d/app:multi", format: "v2s2")
        let ref = try ImageReference(parsing: "\(reg.host)/d/app:multi")
        try await withClient { c in
          let top = try await c.resolve(reference: ref)
          #expect(top.descriptor.mediaType == MediaType.dockerManifestList)
          let store = try ImageStore(root: dir + "/store")
          let pulled = try await c.pull(reference: ref, into: store, unpack: false)
          #expect(pulled.image.manifestDescriptor.mediaType == MediaType.dockerManifest)
          #expect(pulled.image.config.architecture == "amd64")
          #expect(pulled.repoDigest == "\(reg.host)/d/app@\(top.descriptor.digest)")
        }
      }
    }
  }

  /// `GET /distribution/{name}/json`: an index lists its platforms; a single manifest has
  /// the one its config names (dockerd reads it from there too).
  @Test func inspectListsThePlatformsOfAnIndexAndOfASingleManifest() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        let arm = try b.addImage(
          [try b.addLayer(["x": Data("arm".utf8)])], platform: Platform(architecture: "arm", os: "linux", variant: "v7")
        )
        let amd = try b.addImage([try b.addLayer(["x": Data("amd".utf8)])])
        try b.tag(arm, "single")
        try b.tag(try b.addIndex([amd, arm]), "multi")
        try b.copy("single", to: "\(reg.host)/i/app:single")
        try b.copy("multi", to: "\(reg.host)/i/app:multi")
        try await withClient { c in
          let single = try await c.inspect(reference: try ImageReference(parsing: "\(reg.host)/i/app:single"))
          #expect(single.manifest.descriptor.digest == arm.digest)
          #expect(MediaType.isManifest(single.manifest.descriptor.mediaType))
          #expect(single.platforms.map { "\($0.os)/\($0.architecture)/\($0.variant ?? "")" } == ["linux/arm/v7"])
          let multi = try await c.inspect(reference: try ImageReference(parsing: "\(reg.host)/i/app:multi"))
          #expect(MediaType.isIndex(multi.manifest.descriptor.mediaType))
          #expect(multi.platforms.map(\.architecture) == ["amd64", "arm"])
        }
      }
    }
  }
}
