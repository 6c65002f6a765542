// Manifests: push with verification of referenced blobs, pull by tag and digest with
// content negotiation, blob ranges, and the error codes.
import ContentStore
import Foundation
import JSONCoding
import OCI
import Testing

@Suite struct ManifestTests {
  @Test func pushAndPullByTagAndDigest() async throws {
    try await withRegistry { r in
      let (digest, manifest) = try await r.pushImage("lib/app", "v1")
      for reference in ["v1", digest.string] {
        let got = try await r.request(
          "GET", "/v2/lib/app/manifests/\(reference)", headers: [("Accept", MediaType.ociManifest)])
        #expect(got.status == 200)
        #expect(got.body == manifest)
        #expect(got.header("Content-Type") == MediaType.ociManifest)
        #expect(got.header("Docker-Content-Digest") == digest.string)
        let head = try await r.request("HEAD", "/v2/lib/app/manifests/\(reference)")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "\(manifest.count)")
        #expect(head.header("Docker-Content-Digest") == digest.string)
      }
      // A client that takes only Docker's types does not get an OCI manifest.
      let docker = try await r.request(
        "GET", "/v2/lib/app/manifests/v1", headers: [("Accept", MediaType.dockerManifest)])
      #expect(docker.status == 404)
      #expect(docker.errorCode == "MANIFEST_UNKNOWN")
      #expect(try await r.request("GET", "/v2/lib/app/manifests/v2").errorCode == "MANIFEST_UNKNOWN")
      #expect(try await r.request("GET", "/v2/lib/none/manifests/v1").errorCode == "NAME_UNKNOWN")
      #expect(try await r.request("GET", "/v2/lib/app/manifests/-bad").errorCode == "TAG_INVALID")
    }
  }

  @Test func manifestWithMissingBlobsIsRefused() async throws {
    try await withRegistry { r in
      let config = try await r.pushBlob("m", bytes("{}"))
      let missing = SHA256Hasher.digest(bytes("never pushed"))
      let manifest = ImageManifest(
        config: Descriptor(mediaType: MediaType.ociConfig, digest: config, size: 2),
        layers: [Descriptor(mediaType: MediaType.ociLayerGzip, digest: missing, size: 12)])
      let put = try await r.request(
        "PUT", "/v2/m/manifests/t", headers: [("Content-Type", MediaType.ociManifest)], body: try JSON.encode(manifest))
      #expect(put.status == 400)
      #expect(put.errorCode == "MANIFEST_BLOB_UNKNOWN")
      // An index whose child manifest is not in the repository.
      let index = ImageIndex(manifests: [Descriptor(mediaType: MediaType.ociManifest, digest: missing, size: 12)])
      let putIndex = try await r.request(
        "PUT", "/v2/m/manifests/i", headers: [("Content-Type", MediaType.ociIndex)], body: try JSON.encode(index))
      #expect(putIndex.errorCode == "MANIFEST_BLOB_UNKNOWN")
      // Digest reference that does not match the body; garbage; a type that differs from mediaType.
      let good = try JSON.encode(
        ImageManifest(config: Descriptor(mediaType: MediaType.ociConfig, digest: config, size: 2), layers: []))
      let byDigest = try await r.request(
        "PUT", "/v2/m/manifests/\(missing)", headers: [("Content-Type", MediaType.ociManifest)], body: good)
      #expect(byDigest.errorCode == "DIGEST_INVALID")
      let garbage = try await r.request(
        "PUT", "/v2/m/manifests/g", headers: [("Content-Type", MediaType.ociManifest)], body: bytes("nope"))
      #expect(garbage.errorCode == "MANIFEST_INVALID")
      let mismatch = try await r.request(
        "PUT", "/v2/m/manifests/g", headers: [("Content-Type", MediaType.dockerManifest)], body: good)
      #expect(mismatch.errorCode == "MANIFEST_INVALID")
      let badTag = try await r.request(
        "PUT", "/v2/m/manifests/.dot", headers: [("Content-Type", MediaType.ociManifest)], body: good)
      #expect(badTag.errorCode == "TAG_INVALID")
    }
  }

  @Test func indexServedWithItsTypeAndTagsByQuery() async throws {
    try await withRegistry { r in
      let (child, childBytes) = try await r.pushImage("multi", "amd")
      var platformDescriptor = Descriptor(
        mediaType: MediaType.ociManifest, digest: child, size: Int64(childBytes.count))
      platformDescriptor.platform = Platform.host
      let index = try JSON.encode(ImageIndex(manifests: [platformDescriptor]))
      let digest = SHA256Hasher.digest(index)
      let put = try await r.request(
        "PUT", "/v2/multi/manifests/\(digest)?tag=latest&tag=1.0", headers: [("Content-Type", MediaType.ociIndex)],
        body: index)
      #expect(put.status == 201)
      #expect(put.header("OCI-Tag") == "latest, 1.0")
      let got = try await r.request(
        "GET", "/v2/multi/manifests/1.0", headers: [("Accept", "\(MediaType.ociIndex), \(MediaType.ociManifest)")])
      #expect(got.header("Content-Type") == MediaType.ociIndex)
      #expect(got.body == index)
      // A client without index support gets the host's manifest from the index.
      let old = try await r.request("GET", "/v2/multi/manifests/latest", headers: [("Accept", MediaType.ociManifest)])
      #expect(old.status == 200)
      #expect(old.header("Docker-Content-Digest") == child.string)
    }
  }

  @Test func rangeRequests() async throws {
    try await withRegistry { r in
      let data = (0..<5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      let digest = try await r.pushBlob("big", data)
      let part = try await r.request("GET", "/v2/big/blobs/\(digest)", headers: [("Range", "bytes=1000-1999")])
      #expect(part.status == 206)
      #expect(part.header("Content-Range") == "bytes 1000-1999/5000000")
      #expect(part.body == Array(data[1000..<2000]))
      let tail = try await r.request("GET", "/v2/big/blobs/\(digest)", headers: [("Range", "bytes=4999990-")])
      #expect(tail.body == Array(data[4_999_990...]))
      let suffix = try await r.request("GET", "/v2/big/blobs/\(digest)", headers: [("Range", "bytes=-5")])
      #expect(suffix.body == Array(data[(data.count - 5)...]))
      let outside = try await r.request("GET", "/v2/big/blobs/\(digest)", headers: [("Range", "bytes=5000000-")])
      #expect(outside.status == 416)
      #expect(outside.header("Content-Range") == "bytes */5000000")
      let whole = try await r.request("GET", "/v2/big/blobs/\(digest)")
      #expect(whole.status == 200)
      #expect(whole.body == data)
      let unknown = try await r.request("GET", "/v2/big/blobs/\(SHA256Hasher.digest(bytes("x")))")
      #expect(unknown.status == 404)
      #expect(unknown.errorCode == "BLOB_UNKNOWN")
    }
  }

  @Test func concurrentPushesOfOneTagLeaveOneWholeManifest() async throws {
    try await withRegistry { r in
      let pushed = try await withThrowingTaskGroup(of: [UInt8].self) { group in
        for i in 0..<8 {
          group.addTask {
            try await r.pushImage(
              "race", "latest", layers: [bytes("layer \(i)"), bytes("shared")], config: bytes("{\"i\":\(i)}")
            ).bytes
          }
        }
        var all: [[UInt8]] = []
        for try await m in group { all.append(m) }
        return all
      }
      let got = try await r.request("GET", "/v2/race/manifests/latest")
      #expect(got.status == 200)
      #expect(pushed.contains(got.body))
      // Every manifest stays pullable by digest, with all its blobs.
      for m in pushed {
        let d = SHA256Hasher.digest(m)
        #expect(try await r.request("GET", "/v2/race/manifests/\(d)").body == m)
        let parsed = try JSON.decode(ImageManifest.self, from: m)
        for layer in parsed.layers {
          #expect(try await r.request("HEAD", "/v2/race/blobs/\(layer.digest)").status == 200)
        }
      }
      let tags = try await r.request("GET", "/v2/race/tags/list")
      #expect(tags.text == #"{"name":"race","tags":["latest"]}"#)
      // No temporary file left beside the tag.
      let tagDir = r.root + "/repositories/race/_manifests/tags"
      #expect(try FileManager.default.contentsOfDirectory(atPath: tagDir) == ["latest"])
    }
  }
}
