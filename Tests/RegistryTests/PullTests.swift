// Pulls from Debian's docker-registry on 127.0.0.1: by tag, by digest, up to date, all tags,
// through a docker.io mirror.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

@Suite(.enabled(if: haveTools && isRoot, "needs root, docker-registry, skopeo, htpasswd, openssl"))
struct PullTests {
  @Test func pullByTagStoresVerifiedBlobsNameAndRepoDigest() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (m, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/test/app:v1")
        let store = try ImageStore(root: dir + "/store")
        let log = ProgressLog()
        let ref = try ImageReference(parsing: "\(reg.host)/test/app:v1")
        let pulled = try await withClient { c in
          try await c.pull(reference: ref, into: store, progress: log.handler)
        }
        #expect(pulled.image.manifestDescriptor.digest == m.digest)
        #expect(pulled.repoDigest == "\(reg.host)/test/app@\(m.digest)")
        #expect(store.repoDigests(of: pulled.image) == [pulled.repoDigest])
        for l in layers { #expect(store.content.info(l.descriptor.digest)?.size == l.descriptor.size) }
        // Unpacked: the top layer's snapshot is committed.
        let top = try #require(pulled.image.chainID)
        #expect(store.snapshots.stat(top.description)?.kind == .committed)
        let bottom = try store.snapshots.filesystemDirectory(ChainIDs.first(layers[0].diffID))
        #expect(try String(contentsOfFile: bottom + "/data/hello.txt", encoding: .utf8) == "hello from berth\n")
        // Docker's progress lines, in docker's order per layer.
        let id = layers[1].descriptor.digest.shortHex
        let statuses = log.statuses(id)
        #expect(statuses.first == "Pulling fs layer")
        #expect(statuses.contains("Downloading"))
        #expect(statuses.contains("Verifying Checksum"))
        #expect(statuses.suffix(3) == ["Download complete", "Extracting", "Pull complete"])
        #expect(log.contains("Digest: \(m.digest)"))
        #expect(log.contains("Status: Downloaded newer image for \(reg.host)/test/app:v1"))
        // Found again by name, by repo digest, by ID.
        #expect(try store.image("\(reg.host)/test/app:v1").id == pulled.image.id)
        #expect(try store.image("\(reg.host)/test/app@\(m.digest)").id == pulled.image.id)

        // A second pull changes nothing and says so.
        let again = ProgressLog()
        let second = try await withClient { c in
          try await c.pull(reference: ref, into: store, progress: again.handler)
        }
        #expect(!second.downloadedNewer)
        #expect(again.statuses(id).first == "Already exists")
        #expect(again.contains("Status: Image is up to date for \(reg.host)/test/app:v1"))
      }
    }
  }

  @Test func layersUnpackedApartStillInheritParentDirectoriesFromBelow() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        // The lower layer is the big one: the upper one is in (and applied) first.
        let lower = try b.addTarLayer("d('tmp', 0o1777)\nd('srv', 0o750)\nf('big', \(randomPython(3_000_000)))")
        let upper = try b.addTarLayer("f('tmp/x', b'x')\nf('srv/www/index.html', b'hi')")
        let m = try b.addImage([lower, upper])
        try b.tag(m, "v1")
        try b.copy("v1", to: "\(reg.host)/p/app:v1")
        let store = try ImageStore(root: dir + "/store")
        let pulled = try await withClient { c in
          try await c.pull(reference: try ImageReference(parsing: "\(reg.host)/p/app:v1"), into: store)
        }
        let chains = [lower.diffID.description, try #require(pulled.image.chainID).description]
        #expect(store.snapshots.stat(chains[1])?.parent == chains[0])
        let upperDir = try store.snapshots.filesystemDirectory(chains[1])
        func mode(_ p: String) throws -> Int {
          try #require(try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int)
        }
        #expect(try mode(upperDir + "/tmp") == 0o1777)
        #expect(try mode(upperDir + "/srv") == 0o750)
        #expect(try mode(upperDir + "/srv/www") == 0o755)
        // Nothing half-done is left behind.
        #expect(!store.snapshots.list().contains { $0.key.hasPrefix("extract-") })
      }
    }
  }

  @Test func pullByDigestVerifiesTheManifest() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (m, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/test/app:v1")
        let store = try ImageStore(root: dir + "/store")
        let ref = try ImageReference(parsing: "\(reg.host)/test/app@\(m.digest)")
        // One download at a time: the second layer waits, as docker shows it.
        var conf = RegistryClientConfiguration()
        conf.maxConcurrentDownloads = 1
        let log = ProgressLog()
        let pulled = try await withClient(conf) { c in
          try await c.pull(reference: ref, into: store, unpack: false, progress: log.handler)
        }
        #expect(log.statuses(layers[1].descriptor.digest.shortHex).prefix(2) == ["Pulling fs layer", "Waiting"])
        #expect(log.statuses(layers[0].descriptor.digest.shortHex).last == "Download complete")
        #expect(pulled.image.manifestDescriptor.digest == m.digest)
        #expect(try store.image("\(reg.host)/test/app@\(m.digest)").id == pulled.image.id)
        // A digest the registry does not have: a clear not-found error.
        let missing = try ImageReference(
          parsing: "\(reg.host)/test/app@sha256:\(String(repeating: "0", count: 64))")
        await #expect {
          try await withClient { c in try await c.pull(reference: missing, into: store, unpack: false) }
        } throws: { e in
          "\(e)".contains("not found") && "\(e)".contains("test/app")
        }
      }
    }
  }

  @Test func allTagsFollowsPaginationAndMirrorServesDockerHubNames() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        let layer = try b.addLayer(["a": Data("a".utf8)])
        let m = try b.addImage([layer])
        for t in ["t1", "t2", "t3"] {
          try b.tag(m, t)
          try b.copy(t, to: "\(reg.host)/library/tagged:\(t)")
        }
        let store = try ImageStore(root: dir + "/store")
        // The mirror stands in for Docker Hub: "tagged" is docker.io/library/tagged.
        var conf = RegistryClientConfiguration()
        conf.transport.mirrors = ["http://\(reg.host)"]
        conf.transport.dockerHubFallback = false  // never Docker Hub from a test
        try await withClient(conf) { c in
          let repo = try ImageReference(parsing: "tagged", defaultTag: false)
          #expect(repo.domain == "docker.io")
          let tags = try await c.tags(of: repo, pageSize: 2)  // two pages
          #expect(tags.sorted() == ["t1", "t2", "t3"])
          let pulled = try await c.pullAllTags(repository: repo, into: store, unpack: false)
          #expect(pulled.map(\.reference.familiarString).sorted() == ["tagged:t1", "tagged:t2", "tagged:t3"])
          #expect(pulled.allSatisfy { $0.image.manifestDescriptor.digest == m.digest })
          #expect(pulled[0].repoDigest == "docker.io/library/tagged@\(m.digest)")
        }
      }
    }
  }
}

/// The chain ID of a bottom layer is its diffID (image-spec config.md).
enum ChainIDs {
  static func first(_ diffID: Digest) -> String { diffID.description }
}

/// A python expression for `n` random bytes (incompressible, so the layer is large).
func randomPython(_ n: Int) -> String { "__import__('os').urandom(\(n))" }
