// Blob pushes: monolithic POST+PUT and single POST, chunked PATCH with Content-Range,
// dockerd's streamed PATCH, status, cancel, mounts, and the errors of each.
import ContentStore
import Foundation
import OCI
import Testing

@Suite struct UploadTests {
  @Test func pingAnswersWithTheAPIVersion() async throws {
    try await withRegistry { r in
      let ping = try await r.request("GET", "/v2/")
      #expect(ping.status == 200)
      #expect(ping.header("Docker-Distribution-API-Version") == "registry/2.0")
      let unknown = try await r.request("GET", "/nope")
      #expect(unknown.status == 404)
    }
  }

  @Test func monolithicPostThenPutAndSinglePost() async throws {
    try await withRegistry { r in
      let data = bytes("hello registry")
      let digest = try await r.pushBlob("a/b", data)
      let got = try await r.request("GET", "/v2/a/b/blobs/\(digest)")
      #expect(got.status == 200)
      #expect(got.body == data)
      #expect(got.header("Docker-Content-Digest") == digest.string)

      let other = bytes("single post")
      let d2 = SHA256Hasher.digest(other)
      let post = try await r.request("POST", "/v2/a/b/blobs/uploads/?digest=\(d2)", body: other)
      #expect(post.status == 201)
      #expect(post.header("Location") == "/v2/a/b/blobs/\(d2)")
      let head = try await r.request("HEAD", "/v2/a/b/blobs/\(d2)")
      #expect(head.status == 200)
      #expect(head.header("Content-Length") == "\(other.count)")
    }
  }

  @Test func chunkedPatchInOrderAndOutOfOrder() async throws {
    try await withRegistry { r in
      let data = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
      let digest = SHA256Hasher.digest(data)
      let start = try await r.request("POST", "/v2/chunks/blobs/uploads/")
      #expect(start.status == 202)
      let uuid = try #require(start.header("Docker-Upload-UUID"))
      var location = try #require(start.header("Location"))
      #expect(location.hasSuffix(uuid))

      let first = Array(data[0..<100_000])
      let p1 = try await r.request(
        "PATCH", location, headers: [("Content-Range", "0-99999"), ("Content-Type", "application/octet-stream")],
        body: first)
      #expect(p1.status == 202)
      #expect(p1.header("Range") == "0-99999")
      location = try #require(p1.header("Location"))

      // A chunk that does not start where the upload ends: 416, and the status says where it is.
      let wrong = try await r.request(
        "PATCH", location, headers: [("Content-Range", "50-149")], body: Array(data[50..<150]))
      #expect(wrong.status == 416)
      #expect(wrong.errorCode == "RANGE_INVALID")
      let status = try await r.request("GET", location)
      #expect(status.status == 204)
      #expect(status.header("Range") == "0-99999")

      let p2 = try await r.request(
        "PATCH", location, headers: [("Content-Range", "100000-199999")], body: Array(data[100_000..<200_000]))
      #expect(p2.status == 202)
      // The last chunk comes with the closing PUT.
      let put = try await r.request(
        "PUT", "\(location)?digest=\(digest)", headers: [("Content-Range", "200000-299999")],
        body: Array(data[200_000...]))
      #expect(put.status == 201)
      let got = try await r.request("GET", "/v2/chunks/blobs/\(digest)")
      #expect(got.body == data)
      // The upload is gone once finished.
      let after = try await r.request("GET", location)
      #expect(after.status == 404)
      #expect(after.errorCode == "BLOB_UPLOAD_UNKNOWN")
    }
  }

  @Test func streamedPatchWithoutRangeOrLength() async throws {
    try await withRegistry { r in
      // dockerd: PATCH with Transfer-Encoding: chunked, no Content-Range, no Content-Length.
      let data = (0..<2_500_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
      let digest = SHA256Hasher.digest(data)
      let start = try await r.request("POST", "/v2/docker/blobs/uploads/")
      let location = try #require(start.header("Location"))
      let patch = try await TestHTTP.request(r.port, "PATCH", location, body: data, chunked: true, chunkSize: 32768)
      #expect(patch.status == 202)
      #expect(patch.header("Range") == "0-\(data.count - 1)")
      let put = try await r.request("PUT", "\(location)?digest=\(digest)")
      #expect(put.status == 201)
      let head = try await r.request("HEAD", "/v2/docker/blobs/\(digest)")
      #expect(head.header("Content-Length") == "\(data.count)")
    }
  }

  @Test func wrongDigestIsRejectedAndNothingIsStored() async throws {
    try await withRegistry { r in
      let data = bytes("the real bytes")
      let claimed = SHA256Hasher.digest(bytes("other bytes"))
      let start = try await r.request("POST", "/v2/x/blobs/uploads/")
      let location = try #require(start.header("Location"))
      let put = try await r.request("PUT", "\(location)?digest=\(claimed)", body: data)
      #expect(put.status == 400)
      #expect(put.errorCode == "DIGEST_INVALID")
      #expect(try await r.request("HEAD", "/v2/x/blobs/\(claimed)").status == 404)
      #expect(try await r.request("HEAD", "/v2/x/blobs/\(SHA256Hasher.digest(data))").status == 404)
      #expect(!r.server.storage.blobs.contains(SHA256Hasher.digest(data)))
      let noDigest = try await r.request("PUT", "/v2/x/blobs/uploads/\(start.header("Docker-Upload-UUID") ?? "")")
      #expect(noDigest.status == 404 || noDigest.errorCode == "DIGEST_INVALID")
      let malformed = try await r.request("POST", "/v2/x/blobs/uploads/?digest=sha256:xyz", body: data)
      #expect(malformed.status == 400)
      #expect(malformed.errorCode == "DIGEST_INVALID")
    }
  }

  @Test func cancelledUploadIsGone() async throws {
    try await withRegistry { r in
      let start = try await r.request("POST", "/v2/x/blobs/uploads/")
      let location = try #require(start.header("Location"))
      _ = try await r.request("PATCH", location, body: bytes("partial"))
      let cancel = try await r.request("DELETE", location)
      #expect(cancel.status == 204)
      let status = try await r.request("GET", location)
      #expect(status.status == 404)
      #expect(status.errorCode == "BLOB_UPLOAD_UNKNOWN")
      // Another repository cannot use an upload id that is not its own.
      let other = try await r.request("POST", "/v2/y/blobs/uploads/")
      let id = try #require(other.header("Docker-Upload-UUID"))
      #expect(try await r.request("GET", "/v2/x/blobs/uploads/\(id)").status == 404)
      #expect(try await r.request("GET", "/v2/x/blobs/uploads/..%2F..").status == 404)
    }
  }

  @Test func crossRepositoryMount() async throws {
    try await withRegistry { r in
      let digest = try await r.pushBlob("src", bytes("shared layer"))
      let mount = try await r.request("POST", "/v2/dst/blobs/uploads/?mount=\(digest)&from=src")
      #expect(mount.status == 201)
      #expect(mount.header("Location") == "/v2/dst/blobs/\(digest)")
      #expect(try await r.request("HEAD", "/v2/dst/blobs/\(digest)").status == 200)
      // A blob the source does not have: an ordinary upload starts.
      let missing = SHA256Hasher.digest(bytes("absent"))
      let fallback = try await r.request("POST", "/v2/dst/blobs/uploads/?mount=\(missing)&from=src")
      #expect(fallback.status == 202)
      #expect(fallback.header("Docker-Upload-UUID") != nil)
    }
  }

  @Test func invalidNamesAreRefused() async throws {
    try await withRegistry { r in
      for path in ["/v2/UPPER/tags/list", "/v2/a//b/tags/list", "/v2/-a/blobs/uploads/", "/v2/a__-b/manifests/x"] {
        let res = try await r.request(path.contains("uploads") ? "POST" : "GET", path)
        #expect(res.status == 400, "\(path)")
        #expect(res.errorCode == "NAME_INVALID", "\(path)")
      }
    }
  }
}
