// Tags list and catalog pagination, the referrers API, and delete semantics.
import ContentStore
import Foundation
import JSONCoding
import OCI
import Testing

@Suite struct DiscoveryTests {
  struct TagList: Codable {
    var name: String
    var tags: [String]
  }
  struct Catalog: Codable { var repositories: [String] }

  @Test func tagsListPaginates() async throws {
    try await withRegistry { r in
      let (digest, manifest) = try await r.pushImage("pages", "c")
      for tag in ["a", "B", "b", "d"] {
        let put = try await r.request(
          "PUT", "/v2/pages/manifests/\(tag)", headers: [("Content-Type", MediaType.ociManifest)], body: manifest)
        #expect(put.header("Docker-Content-Digest") == digest.string)
      }
      let all = try JSON.decode(TagList.self, from: try await r.request("GET", "/v2/pages/tags/list").body)
      #expect(all.tags == ["B", "a", "b", "c", "d"])
      let first = try await r.request("GET", "/v2/pages/tags/list?n=2")
      #expect(try JSON.decode(TagList.self, from: first.body).tags == ["B", "a"])
      #expect(first.header("Link") == "</v2/pages/tags/list?n=2&last=a>; rel=\"next\"")
      let second = try await r.request("GET", "/v2/pages/tags/list?n=2&last=a")
      #expect(try JSON.decode(TagList.self, from: second.body).tags == ["b", "c"])
      let last = try await r.request("GET", "/v2/pages/tags/list?n=2&last=c")
      #expect(try JSON.decode(TagList.self, from: last.body).tags == ["d"])
      #expect(last.header("Link") == nil)
      let zero = try await r.request("GET", "/v2/pages/tags/list?n=0")
      #expect(try JSON.decode(TagList.self, from: zero.body).tags == [])
      #expect(zero.header("Link") == nil)
      #expect(try await r.request("GET", "/v2/nothing/tags/list").errorCode == "NAME_UNKNOWN")
    }
  }

  @Test func catalogListsRepositories() async throws {
    try await withRegistry { r in
      for name in ["zeta", "alpha/one", "alpha/one/deeper", "beta"] { try await r.pushImage(name, "t") }
      let all = try JSON.decode(Catalog.self, from: try await r.request("GET", "/v2/_catalog").body)
      #expect(all.repositories == ["alpha/one", "alpha/one/deeper", "beta", "zeta"])
      let page = try await r.request("GET", "/v2/_catalog?n=1&last=alpha/one")
      #expect(try JSON.decode(Catalog.self, from: page.body).repositories == ["alpha/one/deeper"])
      #expect(page.header("Link")?.contains("last=alpha%2Fone%2Fdeeper") == true)
    }
  }

  @Test func referrersOfASubject() async throws {
    try await withRegistry { r in
      let (subject, subjectBytes) = try await r.pushImage("art", "base")
      let subjectDescriptor = Descriptor(
        mediaType: MediaType.ociManifest, digest: subject, size: Int64(subjectBytes.count))
      let (sbom, _) = try await r.pushImage(
        "art", "sbom", layers: [bytes("sbom")], subject: subjectDescriptor,
        artifactType: "application/vnd.example.sbom.v1",
        annotations: ["org.example.kind": "sbom"])
      // No artifactType: the config's media type stands in.
      let (sig, _) = try await r.pushImage("art", "sig", layers: [bytes("sig")], subject: subjectDescriptor)
      let list = try await r.request("GET", "/v2/art/referrers/\(subject)")
      #expect(list.status == 200)
      #expect(list.header("Content-Type") == MediaType.ociIndex)
      let index = try JSON.decode(ImageIndex.self, from: list.body)
      #expect(Set(index.manifests.map(\.digest)) == [sbom, sig])
      let sbomEntry = index.manifests.first { $0.digest == sbom }
      #expect(sbomEntry?.artifactType == "application/vnd.example.sbom.v1")
      #expect(sbomEntry?.annotations?["org.example.kind"] == "sbom")
      #expect(index.manifests.first { $0.digest == sig }?.artifactType == MediaType.ociConfig)

      let filtered = try await r.request(
        "GET", "/v2/art/referrers/\(subject)?artifactType=application%2Fvnd.example.sbom.v1")
      #expect(filtered.header("OCI-Filters-Applied") == "artifactType")
      #expect(try JSON.decode(ImageIndex.self, from: filtered.body).manifests.map(\.digest) == [sbom])
      // None: an empty index, not a 404. A bad digest: 400.
      let none = try await r.request("GET", "/v2/art/referrers/\(sbom)")
      #expect(none.status == 200)
      #expect(try JSON.decode(ImageIndex.self, from: none.body).manifests.isEmpty)
      #expect(try await r.request("GET", "/v2/art/referrers/sha256:zz").status == 400)
    }
  }

  @Test func subjectPushAnswersOCISubject() async throws {
    try await withRegistry { r in
      let absent = SHA256Hasher.digest(bytes("subject pushed later"))
      let config = try await r.pushBlob("s", bytes("{}"))
      let manifest = ImageManifest(
        config: Descriptor(mediaType: MediaType.ociConfig, digest: config, size: 2), layers: [],
        subject: Descriptor(mediaType: MediaType.ociManifest, digest: absent, size: 10))
      let put = try await r.request(
        "PUT", "/v2/s/manifests/ref", headers: [("Content-Type", MediaType.ociManifest)],
        body: try JSON.encode(manifest))
      #expect(put.status == 201)
      #expect(put.header("OCI-Subject") == absent.string)
    }
  }

  @Test func deleteSemantics() async throws {
    try await withRegistry { r in
      let (digest, manifest) = try await r.pushImage("del", "one", layers: [bytes("del layer")])
      _ = try await r.request(
        "PUT", "/v2/del/manifests/two", headers: [("Content-Type", MediaType.ociManifest)], body: manifest)
      // Tag delete: only that tag goes.
      #expect(try await r.request("DELETE", "/v2/del/manifests/one").status == 202)
      #expect(try await r.request("GET", "/v2/del/manifests/one").status == 404)
      #expect(try await r.request("GET", "/v2/del/manifests/two").status == 200)
      #expect(try await r.request("DELETE", "/v2/del/manifests/one").status == 404)
      // Manifest delete by digest: the digest and every tag on it go.
      #expect(try await r.request("DELETE", "/v2/del/manifests/\(digest)").status == 202)
      #expect(try await r.request("GET", "/v2/del/manifests/\(digest)").errorCode == "MANIFEST_UNKNOWN")
      #expect(try await r.request("GET", "/v2/del/manifests/two").status == 404)
      #expect(try await r.request("DELETE", "/v2/del/manifests/\(digest)").status == 404)
      #expect(try await r.request("DELETE", "/v2/nope/manifests/\(digest)").errorCode == "NAME_UNKNOWN")
      // Blob delete.
      let layer = SHA256Hasher.digest(bytes("del layer"))
      #expect(try await r.request("DELETE", "/v2/del/blobs/\(layer)").status == 202)
      #expect(try await r.request("HEAD", "/v2/del/blobs/\(layer)").status == 404)
      let again = try await r.request("DELETE", "/v2/del/blobs/\(layer)")
      #expect(again.status == 404)
      #expect(again.errorCode == "BLOB_UNKNOWN")
    }
  }

  @Test func deleteDisabledAnswers405() async throws {
    try await withRegistry({ $0.deleteEnabled = false }) { r in
      let (digest, _) = try await r.pushImage("ro", "t")
      let res = try await r.request("DELETE", "/v2/ro/manifests/\(digest)")
      #expect(res.status == 405)
      #expect(res.errorCode == "UNSUPPORTED")
      #expect(try await r.request("DELETE", "/v2/ro/manifests/t").status == 405)
      #expect(try await r.request("GET", "/v2/ro/manifests/t").status == 200)
    }
  }
}
