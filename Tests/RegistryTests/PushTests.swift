// Push to docker-registry: monolithic and chunked uploads, the manifest's stored bytes (so
// the digest is stable), existing layers skipped, cross-repository mounts; pulled back equal.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

@Suite(.enabled(if: haveTools && isRoot, "needs root, docker-registry, skopeo, htpasswd, openssl"))
struct PushTests {
  @Test func pushThenPullBackGivesTheSameDigestsAndASecondRepoMounts() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg", auth: .htpasswd(user: "u", password: "p")) { reg in
        let (m, layers) = try pushTestImage(
          dir + "/layout", to: "\(reg.host)/src/app:v1", creds: "u:p", bigSize: 1_500_000)
        let creds = RegistryCredentials(username: "u", password: "p")
        let store = try ImageStore(root: dir + "/store")
        var conf = RegistryClientConfiguration()
        conf.chunkedUploadThreshold = 1 << 20  // the big layer goes up in PATCH chunks
        conf.uploadChunkSize = 400_000
        try await withClient(conf) { c in
          let src = try ImageReference(parsing: "\(reg.host)/src/app:v1")
          _ = try await c.pull(reference: src, auth: creds, into: store, unpack: false)

          // A fresh client knows no other repository: every blob is uploaded.
          let dst = try ImageReference(parsing: "\(reg.host)/dst/app:v2")
          try store.tag(src.description, as: dst)
          let log = ProgressLog()
          let pushed = try await withClient(conf) { fresh in
            try await fresh.push(reference: dst, auth: creds, from: store, progress: log.handler)
          }
          #expect(pushed.digest == m.digest)
          for l in layers { #expect(log.statuses(l.descriptor.digest.shortHex).last == "Pushed") }
          #expect(log.statuses(layers[0].descriptor.digest.shortHex).first == "Preparing")
          #expect(log.contains("v2: digest: \(m.digest) size: \(m.size)"))
          let pushedImage = try store.image(dst.description)
          #expect(store.repoDigests(of: pushedImage).contains("\(reg.host)/dst/app@\(m.digest)"))

          // Pushing again: the registry has every layer.
          let again = ProgressLog()
          _ = try await c.push(reference: dst, auth: creds, from: store, progress: again.handler)
          for l in layers {
            #expect(again.statuses(l.descriptor.digest.shortHex).last == "Layer already exists")
          }

          // The client that pulled from src/app mounts the blobs into a third repository.
          let third = try ImageReference(parsing: "\(reg.host)/third/app:v3")
          try store.tag(src.description, as: third)
          let mounts = ProgressLog()
          _ = try await c.push(reference: third, auth: creds, from: store, progress: mounts.handler)
          for l in layers {
            // From src/app or dst/app: the client knows the blob from both.
            #expect(mounts.statuses(l.descriptor.digest.shortHex).last?.hasPrefix("Mounted from ") == true)
          }

          // Pulled back into an empty store: the same manifest, config and layers.
          let back = try ImageStore(root: dir + "/back")
          for r in [dst, third] {
            let p = try await c.pull(reference: r, auth: creds, into: back, unpack: false)
            #expect(p.image.manifestDescriptor.digest == m.digest)
            #expect(p.image.manifest.layers.map(\.digest) == layers.map(\.descriptor.digest))
          }
        }
      }
    }
  }
}
