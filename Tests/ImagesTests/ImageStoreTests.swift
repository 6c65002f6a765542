// Image store: import, unpack, names, remove and GC.
import Archive
import Foundation
import Images
import OCI
import Snapshots
import Testing

/// Makes a small rootfs tarball and imports it.
func importSample(
  _ store: ImageStore, tmp: String, name: String?, files: String = "reg('etc/hostname', b'berth')",
  config: ImageConfig.Config? = nil
) throws -> Image {
  let tar = tmp + "/rootfs-\(UUID().uuidString).tar"
  try makeTar(tar, mode: "w:gz", "dir('etc')\n" + files)
  let fd = open(tar, O_RDONLY)
  defer { close(fd) }
  return try store.importImage(
    fd: fd, reference: try name.map { try ImageReference(parsing: $0) }, config: config)
}

@Suite("Images: store")
struct ImageStoreTests {
  @Test func importUnpackAndResolve() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/store")
      let cfg = ImageConfig.Config(
        env: ["A=b"], entrypoint: ["/bin/sh"], cmd: ["-c", "true"], workingDir: "/srv")
      let imported = try importSample(store, tmp: tmp, name: "example/app:v1", config: cfg)
      let img = try store.image("example/app:v1")
      #expect(img.id == imported.id)
      #expect(img.config.config?.entrypoint == ["/bin/sh"])
      #expect(img.config.history?.first?.comment == "Imported from -")
      #expect(img.manifest.layers.first?.mediaType == MediaType.ociLayerGzip)
      #expect(img.config.architecture == Platform.host.architecture)
      // By ID and by ID prefix.
      #expect(try store.image(img.id.description).id == img.id)
      #expect(try store.image(String(img.id.encoded.prefix(12))).id == img.id)
      #expect(throws: ImageError.notFound("nope")) { try store.image("nope") }

      let top = try #require(try store.unpack(img))
      #expect(top == img.config.rootfs.diffIDs[0].description)
      #expect(readText(try store.snapshots.filesystemDirectory(top) + "/etc/hostname") == "berth")
      // A second unpack reuses the snapshot.
      #expect(try store.unpack(img) == top)
      #expect(store.snapshots.list().count == 1)
    }
  }

  @Test func namesTagsAndDangling() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/store")
      let img = try importSample(store, tmp: tmp, name: nil)
      #expect(store.list().map(\.isDangling) == [true])
      try store.tag(img.id.description, as: try ImageReference(parsing: "a:1"))
      #expect(store.list().map(\.name) == ["docker.io/library/a:1"])
      try store.tag("a:1", as: try ImageReference(parsing: "localhost:5000/b"))
      #expect(store.list().count == 2)
      // Names survive a reopen.
      let again = try ImageStore(root: tmp + "/store")
      #expect(try again.image("localhost:5000/b:latest").id == img.id)
      try again.untag(try ImageReference(parsing: "a:1"))
      #expect(again.list().map(\.name) == ["localhost:5000/b:latest"])
    }
  }

  @Test func removeAndGarbageCollect() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/store")
      let a = try importSample(store, tmp: tmp, name: "a", files: "reg('etc/a', b'a')")
      let b = try importSample(store, tmp: tmp, name: "b", files: "reg('etc/b', b'b')")
      try store.tag("a", as: try ImageReference(parsing: "a2"))
      try store.unpack(a)
      try store.unpack(b)
      #expect(store.snapshots.list().count == 2)

      // An image used by a container needs force.
      #expect(throws: ImageError.self) { try store.remove("b", inUse: { _ in ["ctr1"] }) }
      // An ID with several names needs force.
      #expect(throws: ImageError.self) { try store.remove(a.id.description) }
      // Removing one of two names keeps the image.
      try store.remove("a2")
      #expect(try store.image("a").id == a.id)

      // A container's snapshot stands on the image's init layer, which GC keeps while the
      // image exists (and removes with it, below).
      _ = try store.prepareContainerSnapshot("ctr-a", image: a)
      try store.snapshots.remove("ctr-a")
      let initLayer = ImageStore.initLayerKey(top: a.config.rootfs.diffIDs[0].description)
      #expect(store.snapshots.stat(initLayer)?.kind == .committed)

      try store.remove("b")
      _ = try store.garbageCollect(gracePeriod: 0)
      #expect(!store.content.contains(b.id))
      #expect(!store.content.contains(b.manifest.layers[0].digest))
      #expect(store.content.contains(a.id))
      #expect(
        store.snapshots.list().map(\.key).sorted() == [a.config.rootfs.diffIDs[0].description, initLayer].sorted())

      try store.remove(a.id.description, force: true)
      _ = try store.garbageCollect(gracePeriod: 0)
      #expect(try store.content.list().isEmpty)
      #expect(store.snapshots.list().isEmpty)
      #expect(store.list().isEmpty)
    }
  }

  @Test func corruptLayerFailsUnpackWithoutLeavingSnapshots() throws {
    try withTempDir { tmp in
      let store = try ImageStore(root: tmp + "/store")
      let img = try importSample(store, tmp: tmp, name: "x")
      // An image whose config claims another diffID.
      var cfg = img.config
      cfg.rootfs.diffIDs = [Digest(sha256Hex: String(repeating: "0", count: 64))].compactMap { $0 }
      let bad = try store.storeImage(
        config: cfg, layers: img.manifest.layers, reference: try ImageReference(parsing: "bad"))
      #expect(throws: ImageError.self) { try store.unpack(bad) }
      #expect(store.snapshots.list().isEmpty)
    }
  }
}
