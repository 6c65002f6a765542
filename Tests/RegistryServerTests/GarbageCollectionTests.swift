// Online GC: unreferenced blobs go, referenced ones and pushes in flight stay.
import ContentStore
import Foundation
import OCI
import RegistryServer
import Testing

@Suite struct GarbageCollectionTests {
  /// Makes a blob look committed `seconds` ago.
  func age(_ r: TestRegistry, _ digest: Digest, by seconds: Int) {
    let path = r.server.storage.blobs.path(for: digest)
    var times = [timespec(tv_sec: time(nil) - seconds, tv_nsec: 0), timespec(tv_sec: time(nil) - seconds, tv_nsec: 0)]
    _ = utimensat(AT_FDCWD, path, &times, 0)
  }

  @Test func removesOnlyUnreferencedBlobsPastTheGracePeriod() async throws {
    try await withRegistry { r in
      let (manifest, _) = try await r.pushImage("gc", "keep", layers: [bytes("kept layer")])
      let orphan = try await r.pushBlob("gc", bytes("orphan"))
      let young = try await r.pushBlob("gc", bytes("young orphan"))
      let kept = SHA256Hasher.digest(bytes("kept layer"))
      for d in [manifest, orphan, kept] { age(r, d, by: 7200) }
      let report = try r.server.storage.garbageCollect(gracePeriod: 3600)
      #expect(report.removedBlobs == [orphan])
      #expect(try await r.request("HEAD", "/v2/gc/blobs/\(orphan)").status == 404)
      #expect(try await r.request("HEAD", "/v2/gc/blobs/\(young)").status == 200)
      #expect(try await r.request("HEAD", "/v2/gc/blobs/\(kept)").status == 200)
      #expect(try await r.request("GET", "/v2/gc/manifests/keep").status == 200)
      // Once the tag and manifest are gone, its blobs go too.
      #expect(try await r.request("DELETE", "/v2/gc/manifests/\(manifest)").status == 202)
      // The HEAD above refreshed the layer (a pusher's existence check): age it again.
      age(r, kept, by: 7200)
      let second = try r.server.storage.garbageCollect(gracePeriod: 3600)
      // The config "{}" is young: it stays for now.
      #expect(Set(second.removedBlobs) == [manifest, kept])
      #expect(try await r.request("HEAD", "/v2/gc/blobs/\(kept)").status == 404)
    }
  }

  @Test func pushRacingGCSurvives() async throws {
    try await withRegistry { r in
      // An upload in progress: half its bytes sent, then a collection with no grace at all.
      let data = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
      let digest = SHA256Hasher.digest(data)
      let start = try await r.request("POST", "/v2/race/blobs/uploads/")
      let location = try #require(start.header("Location"))
      _ = try await r.request("PATCH", location, headers: [("Content-Range", "0-99999")], body: Array(data[..<100_000]))
      try r.server.storage.garbageCollect(gracePeriod: 0, uploadExpiry: 3600)
      let rest = try await r.request(
        "PUT", "\(location)?digest=\(digest)", headers: [("Content-Range", "100000-199999")],
        body: Array(data[100_000...]))
      #expect(rest.status == 201)

      // A blob that existed (old, unreferenced) and that a pusher just found with HEAD:
      // the check refreshed it, so a GC with a grace period keeps it for the manifest.
      let config = try await r.pushBlob("race", bytes("{}"))
      age(r, digest, by: 7200)
      age(r, config, by: 7200)
      #expect(try await r.request("HEAD", "/v2/race/blobs/\(digest)").status == 200)
      #expect(try await r.request("HEAD", "/v2/race/blobs/\(config)").status == 200)
      let report = try r.server.storage.garbageCollect(gracePeriod: 600)
      #expect(report.removedBlobs.isEmpty)
      let manifest = ImageManifest(
        config: Descriptor(mediaType: MediaType.ociConfig, digest: config, size: 2),
        layers: [Descriptor(mediaType: MediaType.ociLayerGzip, digest: digest, size: Int64(data.count))])
      let put = try await r.request(
        "PUT", "/v2/race/manifests/t", headers: [("Content-Type", MediaType.ociManifest)],
        body: try JSONEncoder().encodeSorted(manifest))
      #expect(put.status == 201)
      #expect(try await r.request("GET", "/v2/race/blobs/\(digest)").body == data)
    }
  }

  @Test func concurrentPushesAndCollections() async throws {
    try await withRegistry { r in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for i in 0..<6 {
          group.addTask { try await r.pushImage("busy", "t\(i)", layers: [bytes("layer \(i)"), bytes("common")]) }
        }
        group.addTask {
          for _ in 0..<10 {
            try await offThread { try r.server.storage.garbageCollect(gracePeriod: 60, uploadExpiry: 3600) }
          }
        }
        try await group.waitForAll()
      }
      // Everything pushed is whole: every tag's blobs are still there.
      for i in 0..<6 {
        let m = try await r.request("GET", "/v2/busy/manifests/t\(i)")
        #expect(m.status == 200)
        let parsed = try JSONDecoder().decode(ImageManifest.self, from: Data(m.body))
        for d in parsed.layers.map(\.digest) + [parsed.config.digest] {
          #expect(try await r.request("HEAD", "/v2/busy/blobs/\(d)").status == 200)
        }
      }
    }
  }

  @Test func staleUploadsExpire() async throws {
    try await withRegistry { r in
      let start = try await r.request("POST", "/v2/old/blobs/uploads/")
      let location = try #require(start.header("Location"))
      let report = try r.server.storage.garbageCollect(gracePeriod: 0, uploadExpiry: 0)
      #expect(report.removedUploads.count == 1)
      #expect(try await r.request("GET", location).status == 404)
    }
  }
}

extension JSONEncoder {
  func encodeSorted<T: Encodable>(_ value: T) throws -> [UInt8] {
    outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return [UInt8](try encode(value))
  }
}
