// The image store: content (blobs), snapshots (unpacked layers) and names (tags → targets).
// Write order keeps it crash-consistent: blobs are committed before the manifest that
// references them, and names are written last, so no name points at a missing blob.
import Archive
import ContentStore
import FoundationEssentials
import OCI
import Snapshots
import Synchronization
import LinuxOS

public final class ImageStore: Sendable {
  public let root: String
  public let content: ContentStore
  public let snapshots: OverlaySnapshotter
  public let platform: Platform
  let databasePath: String
  let database: Mutex<ImageDatabase>

  /// Opens (creating) a store: <root>/content, <root>/snapshots, <root>/images.json.
  public init(root: String, platform: Platform = .host) throws {
    self.root = root
    self.platform = platform
    try Files.makeDirectories(root)
    content = try ContentStore(root: root + "/content")
    snapshots = try OverlaySnapshotter(root: root + "/snapshots")
    databasePath = root + "/images.json"
    database = Mutex(try ImageDatabase.load(databasePath))
  }

  // MARK: names

  /// All names, sorted.
  public func list() -> [ImageRecord] {
    database.withLock { Array($0.images.values) }.sorted { $0.name < $1.name }
  }

  /// Points `reference` at `target` (creating or moving the tag).
  public func setName(_ reference: ImageReference, target: Descriptor) throws {
    try update { db in
      db.images[reference.description] = ImageRecord(
        name: reference.description, target: target, updated: Timestamp.now())
      // The image is no longer dangling.
      db.images[ImageRecord.danglingPrefix + target.digest.description] = nil
    }
  }

  /// Records an untagged image (e.g. loaded without a name).
  /// An image that is already listed stays listed when a build step makes it again.
  func setDangling(_ target: Descriptor, in db: inout ImageDatabase, intermediate: Bool = false) {
    let named = db.images.values.contains { !$0.isDangling && $0.target.digest == target.digest }
    guard !named else { return }
    let key = ImageRecord.danglingPrefix + target.digest.description
    if let existing = db.images[key], existing.intermediate != true { return }
    var record = ImageRecord(name: key, target: target, updated: Timestamp.now())
    if intermediate { record.intermediate = true }
    db.images[key] = record
  }

  /// A build's result without a tag: listed from now on as an untagged image.
  public func showUntagged(_ image: Image) throws {
    try update { db in setDangling(image.manifestDescriptor, in: &db) }
  }

  /// Forgets the build steps' images (not their layers: garbage collection decides); returns
  /// their IDs.
  public func removeIntermediates() throws -> [String] {
    let gone = list().filter { $0.intermediate == true }
    let ids = gone.compactMap { try? resolve($0).id.description }
    try update { db in
      for r in gone { db.images[r.name] = nil }
    }
    return ids
  }

  /// Applies `change` to the names and writes them atomically.
  func update<R>(_ change: (inout ImageDatabase) throws -> R) throws -> R {
    try database.withLock { db in
      var next = db
      let r = try change(&next)
      try next.save(databasePath)
      db = next
      return r
    }
  }

  /// Adds a tag to an existing image.
  public func tag(_ source: String, as target: ImageReference) throws {
    let img = try image(source)
    try setName(target, target: img.record.target)
  }

  // MARK: resolution

  /// Finds an image by reference ("busybox", "busybox:1.36", "x@sha256:…"), by ID
  /// ("sha256:<config hex>" or a unique hex prefix of at least 4 characters), and
  /// resolves its manifest and config for the store's platform.
  public func image(_ nameOrID: String) throws -> Image {
    let records = list()
    if let ref = try? ImageReference(parsing: nameOrID) {
      if let r = records.first(where: { $0.name == ref.description }) { return try resolve(r) }
      if let d = ref.digest,
        let r = records.first(where: { $0.reference?.name == ref.name && $0.target.digest == d })
      {
        return try resolve(r)
      }
      if let d = ref.digest {
        let repoDigest = ref.name + "@" + d.description
        if let r = records.first(where: { $0.repoDigests?.contains(repoDigest) ?? false }) {
          return try resolve(r)
        }
      }
    }
    // By ID (config digest) or its prefix.
    var hex = nameOrID
    if hex.hasPrefix("sha256:") { hex.removeFirst(7) }
    guard hex.count >= 4, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
      throw ImageError.notFound(nameOrID)
    }
    var matches: [Digest: Image] = [:]
    for r in records {
      guard let img = try? resolve(r) else { continue }
      if img.id.encoded.hasPrefix(hex) || r.target.digest.encoded == hex {
        if matches[img.id] == nil || (matches[img.id]?.record.isDangling ?? false) {
          matches[img.id] = img
        }
      }
    }
    guard matches.count <= 1 else {
      throw ImageError.ambiguous(nameOrID, candidates: matches.keys.map(\.shortHex))
    }
    guard let img = matches.values.first else { throw ImageError.notFound(nameOrID) }
    return img
  }

  /// The image whose manifest is `digest`, when a name (or an untagged record) keeps it:
  /// one record resolved, not every one (a build's cache looks up each step this way).
  public func image(manifest digest: Digest) throws -> Image? {
    let record = database.withLock { db in db.images.values.first { $0.target.digest == digest } }
    return try record.map(resolve)
  }

  /// Manifest and config behind a name, for the store's platform.
  public func resolve(_ record: ImageRecord) throws -> Image {
    let (manifestDesc, manifest) = try resolveManifest(
      record.target, for: platform, context: record.name)
    let configBytes = try content.read(manifest.config.digest)
    let config = try JSONDecoder().decode(ImageConfig.self, from: configBytes)
    return Image(
      record: record, manifestDescriptor: manifestDesc, manifest: manifest, config: config)
  }

  /// Follows indexes down to the manifest for `platform`.
  func resolveManifest(_ desc: Descriptor, for platform: Platform, context: String) throws -> (
    Descriptor, ImageManifest
  ) {
    var cur = desc
    for _ in 0..<8 {
      guard content.contains(cur.digest) else {
        throw ImageError.missingBlob(cur.digest, in: context)
      }
      let bytes = try content.read(cur.digest)
      let mediaType = cur.mediaType.isEmpty ? Self.sniffMediaType(bytes) : cur.mediaType
      if MediaType.isManifest(mediaType) {
        return (cur, try JSONDecoder().decode(ImageManifest.self, from: bytes))
      }
      guard MediaType.isIndex(mediaType) else {
        throw ImageError.unsupportedMediaType(context, mediaType: mediaType)
      }
      let index = try JSONDecoder().decode(ImageIndex.self, from: bytes)
      guard let next = index.manifest(for: platform) else {
        throw ImageError.noMatchingPlatform(context, platform: platform.description)
      }
      cur = next
    }
    throw ImageError.unsupportedMediaType(context, mediaType: "index nested too deeply")
  }

  /// The media type of a manifest-ish JSON blob from its own fields.
  static func sniffMediaType(_ bytes: Data) -> String? {
    struct Probe: Decodable {
      var mediaType: String?
      var manifests: [Descriptor]?
      var config: Descriptor?
    }
    guard let p = try? JSONDecoder().decode(Probe.self, from: bytes) else { return nil }
    if let m = p.mediaType { return m }
    if p.manifests != nil { return MediaType.ociIndex }
    if p.config != nil { return MediaType.ociManifest }
    return nil
  }
}

/// A resolved image: its name record, manifest (for the store's platform) and config.
public struct Image: Sendable {
  public var record: ImageRecord
  public var manifestDescriptor: Descriptor
  public var manifest: ImageManifest
  public var config: ImageConfig

  /// Docker's image ID: the config digest.
  public var id: Digest { manifest.config.digest }

  /// The snapshot key (chain ID) of the top layer, nil for an image without layers.
  public var chainID: Digest? { ChainID.chain(config.rootfs.diffIDs).last }
}
