// docker-archive and OCI layout: round trips, third-party tools (skopeo, umoci), and
// interrupted loads.
import Foundation
import Images
import OCI
import Testing

@Suite("Images: save and load")
struct SaveLoadTests {
  func save(_ store: ImageStore, _ names: [String], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    defer { close(fd) }
    try store.save(names, to: fd)
  }

  func load(_ store: ImageStore, _ path: String, defaultName: ImageReference? = nil) throws
    -> [ImageRecord]
  {
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    return try store.load(fd: fd, defaultName: defaultName)
  }

  @Test func saveThenLoadRoundTrips() throws {
    try withTempDir { tmp in
      let a = try ImageStore(root: tmp + "/a")
      let img = try importSample(a, tmp: tmp, name: "round/trip:v1")
      try a.tag("round/trip:v1", as: try ImageReference(parsing: "round/trip:v2"))
      try save(a, ["round/trip:v1", "round/trip:v2"], to: tmp + "/out.tar")

      // The tarball is a docker-archive and an OCI layout at once.
      let listing = String(decoding: try run(["tar", "-tf", tmp + "/out.tar"]), as: UTF8.self)
      for f in ["manifest.json", "index.json", "oci-layout", "blobs/sha256/\(img.id.encoded)"] {
        #expect(listing.contains(f), "missing \(f)")
      }
      let manifestJSON = try run(["tar", "-xOf", tmp + "/out.tar", "manifest.json"])
      let entries = try JSONDecoder().decode([DockerArchiveManifestEntry].self, from: manifestJSON)
      #expect(entries.count == 1)
      #expect(entries.first?.repoTags == ["round/trip:v1", "round/trip:v2"])

      let b = try ImageStore(root: tmp + "/b")
      let loaded = try load(b, tmp + "/out.tar")
      #expect(Set(loaded.map(\.name)) == ["docker.io/round/trip:v1", "docker.io/round/trip:v2"])
      let again = try b.image("round/trip:v2")
      #expect(again.id == img.id)
      #expect(again.manifestDescriptor.digest == img.manifestDescriptor.digest)
      #expect(try b.unpack(again) != nil)
    }
  }

  @Test func loadsALegacyDockerSaveArchive() throws {
    // The pre-25 `docker save` layout: <id>/layer.tar, <id>/json, <config>.json, a
    // manifest.json and repositories, with a symlinked duplicate layer.
    try withTempDir { tmp in
      try makeTar(tmp + "/layer.tar", "dir('bin')\nreg('bin/hello', b'hi', mode=0o755)")
      let layerBytes = try Data(contentsOf: URL(fileURLWithPath: tmp + "/layer.tar"))
      let diffID = try sha256Hex(ofFile: tmp + "/layer.tar")
      let config = """
        {"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/hello"]},\
        "rootfs":{"type":"layers","diff_ids":["sha256:\(diffID)","sha256:\(diffID)"]}}
        """
      let configHex = try sha256Hex(
        ofFile: { () -> String in
          let p = tmp + "/c.json"
          try? config.write(toFile: p, atomically: false, encoding: .utf8)
          return p
        }())
      let manifest = """
        [{"Config":"\(configHex).json","RepoTags":["legacy:1"],"Layers":["l1/layer.tar","l2/layer.tar"]}]
        """
      let py = """
        reg('\(configHex).json', open('\(tmp)/c.json','rb').read())
        dir('l1')
        reg('l1/VERSION', b'1.0')
        reg('l1/json', b'{}')
        reg('l1/layer.tar', open('\(tmp)/layer.tar','rb').read())
        dir('l2')
        sym('l2/layer.tar', '../l1/layer.tar')
        reg('manifest.json', b'''\(manifest)''')
        reg('repositories', b'{"legacy":{"1":"l2"}}')
        """
      try makeTar(tmp + "/legacy.tar", py)
      #expect(layerBytes.count > 0)
      let store = try ImageStore(root: tmp + "/s")
      let loaded = try load(store, tmp + "/legacy.tar")
      #expect(loaded.map(\.name) == ["docker.io/library/legacy:1"])
      let img = try store.image("legacy:1")
      #expect(img.id.encoded == configHex)
      #expect(img.manifest.layers.map(\.mediaType) == [MediaType.ociLayer, MediaType.ociLayer])
      let top = try #require(try store.unpack(img))
      #expect(readText(try store.snapshots.filesystemDirectory(top) + "/bin/hello") == "hi")
      #expect(store.snapshots.ancestors(top).count == 1)
    }
  }

  @Test func interruptedLoadLeavesNoNameAndNoTornBlob() throws {
    try withTempDir { tmp in
      let a = try ImageStore(root: tmp + "/a")
      _ = try importSample(
        a, tmp: tmp, name: "big", files: "import os\nreg('etc/big', os.urandom(4 << 20))")
      try save(a, ["big"], to: tmp + "/out.tar")
      let data = try Data(contentsOf: URL(fileURLWithPath: tmp + "/out.tar"))
      try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: tmp + "/cut.tar"))
      let b = try ImageStore(root: tmp + "/b")
      #expect(throws: (any Error).self) { _ = try load(b, tmp + "/cut.tar") }
      #expect(b.list().isEmpty)
      for blob in try b.content.list() {
        // Every blob that exists is whole: its bytes hash to its name.
        #expect(try sha256Hex(ofFile: b.content.path(for: blob.digest)) == blob.digest.encoded)
      }
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: tmp + "/b/content/ingest").isEmpty)
    }
  }

  @Test func ociLayoutIsReadBySkopeoAndUmoci() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/s")
      let img = try importSample(
        store, tmp: tmp, name: "oci/test:v1", files: "reg('etc/os-release', b'ID=berth')",
        config: ImageConfig.Config(cmd: ["/bin/true"]))
      try store.saveOCILayout(["oci/test:v1"], to: tmp + "/layout")
      let inspect = try run(["skopeo", "inspect", "--raw", "oci:\(tmp)/layout:v1"])
      let m = try JSONDecoder().decode(ImageManifest.self, from: inspect)
      #expect(m.config.digest == img.id)

      try run(["umoci", "unpack", "--rootless", "--image", "\(tmp)/layout:v1", tmp + "/bundle"])
      #expect(readText(tmp + "/bundle/rootfs/etc/os-release") == "ID=berth")

      // skopeo writes a docker-archive and an OCI layout of its own; both load back.
      try run([
        "skopeo", "copy", "-q", "oci:\(tmp)/layout:v1", "docker-archive:\(tmp)/sk.tar:sk/copy:v2",
      ])
      let s2 = try ImageStore(root: tmp + "/s2")
      _ = try load(s2, tmp + "/sk.tar")
      #expect(try s2.image("sk/copy:v2").id == img.id)
      #expect(try s2.unpack(try s2.image("sk/copy:v2")) != nil)

      try run(["skopeo", "copy", "-q", "oci:\(tmp)/layout:v1", "oci:\(tmp)/layout2:other"])
      let s3 = try ImageStore(root: tmp + "/s3")
      let recs = try s3.loadOCILayout(
        directory: tmp + "/layout2", defaultName: try ImageReference(parsing: "named/here"))
      #expect(recs.map(\.name) == ["docker.io/named/here:other"])
      #expect(try s3.image("named/here:other").id == img.id)
    }
  }
}
