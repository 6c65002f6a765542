// `docker load`: a docker-archive tarball (manifest.json; legacy <id>/layer.tar files or
// blobs/sha256 in newer Docker) or an OCI image layout (oci-layout, index.json, blobs/),
// plain or compressed, read in one streaming pass. Blobs are verified and committed first;
// names are written last, in one atomic update.
import Archive
import ContentStore
import FoundationEssentials
import OCI
import LinuxOS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Files of an archive being loaded: small ones in memory, large ones already in the store.
struct ArchiveFiles {
  enum File {
    case memory([UInt8])
    case blob(BlobInfo)
  }
  var files: [String: File] = [:]
  var links: [String: String] = [:]

  static func normalize(_ path: String) -> String {
    var out: [Substring] = []
    for c in path.split(separator: "/") {
      if c == "." { continue }
      if c == ".." {
        _ = out.popLast()
        continue
      }
      out.append(c)
    }
    return out.joined(separator: "/")
  }

  func resolve(_ path: String) -> String {
    var p = Self.normalize(path)
    for _ in 0..<16 {
      guard let t = links[p] else { return p }
      p = t
    }
    return p
  }

  func bytes(_ path: String, store: ContentStore) throws -> [UInt8]? {
    switch files[resolve(path)] {
    case .memory(let b): return b
    case .blob(let info): return Array(try store.read(info.digest))
    case nil: return nil
    }
  }

  /// Commits the file to the content store (if it is not there yet) and returns its blob.
  func blob(_ path: String, store: ContentStore, expected: Digest? = nil) throws -> BlobInfo? {
    switch files[resolve(path)] {
    case .memory(let b): return try store.put(b, expected: expected)
    case .blob(let info):
      if let expected, expected != info.digest {
        throw ContentStoreError.digestMismatch(expected: expected, actual: info.digest)
      }
      return info
    case nil: return nil
    }
  }
}

extension ImageStore {
  /// Loads a docker-archive or OCI-layout tarball from `fd`. Returns the names written.
  /// `defaultName` names OCI images whose index gives only a tag (or nothing).
  @discardableResult
  public func load(
    fd: Int32, defaultName: ImageReference? = nil, options: LayerApplyOptions = LayerApplyOptions()
  ) throws -> [ImageRecord] {
    var files = ArchiveFiles()
    try TarEntries.forEach(fd: fd, options: options) { header, data in
      let path = ArchiveFiles.normalize(header.path)
      switch header.kind {
      case .file:
        let parts = path.split(separator: "/")
        let expected: Digest? =
          parts.count == 3 && parts[0] == "blobs" && parts[1] == "sha256"
          ? Digest(sha256Hex: String(parts[2])) : nil
        if header.size <= 1 << 20 && expected == nil {
          files.files[path] = .memory(try data.readAll(limit: 1 << 20))
        } else {
          let info = try content.ingest(expected: expected, expectedSize: header.size) { w in
            try data.read { try w.write($0) }
          }
          files.files[path] = .blob(info)
        }
      case .symlink:
        guard let t = header.linkTarget else { return }
        let dir = path.split(separator: "/").dropLast().joined(separator: "/")
        files.links[path] = ArchiveFiles.normalize(t.hasPrefix("/") ? t : dir + "/" + t)
      case .hardlink:
        guard let t = header.linkTarget else { return }
        files.links[path] = ArchiveFiles.normalize(t)
      default:
        break
      }
    }
    if let manifestJSON = try files.bytes("manifest.json", store: content) {
      return try loadDockerArchive(manifestJSON, files: files)
    }
    if let indexJSON = try files.bytes("index.json", store: content) {
      return try loadOCIIndex(indexJSON, defaultName: defaultName) { d in
        try files.blob("blobs/\(d.algorithm)/\(d.encoded)", store: content, expected: d)
      }
    }
    throw ImageError.invalidArchive(
      "neither manifest.json (docker save) nor index.json (OCI layout) found")
  }

  /// Loads an OCI image layout directory (as written by skopeo, umoci, or `saveOCILayout`).
  @discardableResult
  public func loadOCILayout(directory: String, defaultName: ImageReference? = nil) throws
    -> [ImageRecord]
  {
    guard let index = try Files.readIfExists(directory + "/index.json") else {
      throw ImageError.invalidArchive("\(directory) has no index.json")
    }
    return try loadOCIIndex(index, defaultName: defaultName) { d in
      if let info = content.info(d) { return info }
      let p = "\(directory)/blobs/\(d.algorithm)/\(d.encoded)"
      let fd = open(p, O_RDONLY | O_CLOEXEC)
      if fd < 0 { return nil }
      defer { close(fd) }
      return try content.ingest(fd: fd, expected: d)
    }
  }

  // MARK: formats

  func loadDockerArchive(_ manifestJSON: [UInt8], files: ArchiveFiles) throws -> [ImageRecord] {
    let entries: [DockerArchiveManifestEntry]
    do {
      entries = try JSONDecoder().decode(
        [DockerArchiveManifestEntry].self, from: Data(manifestJSON))
    } catch {
      throw ImageError.invalidArchive("manifest.json: \(error)")
    }
    // Newer Docker also writes an OCI index; reuse its manifests to keep their digests.
    var ociManifests: [Digest: (Descriptor, ImageManifest)] = [:]
    if let indexJSON = try files.bytes("index.json", store: content),
      let index = try? JSONDecoder().decode(ImageIndex.self, from: Data(indexJSON))
    {
      for d in index.manifests where MediaType.isManifest(d.mediaType) {
        guard let b = try files.bytes("blobs/sha256/\(d.digest.encoded)", store: content),
          let m = try? JSONDecoder().decode(ImageManifest.self, from: Data(b))
        else { continue }
        ociManifests[m.config.digest] = (d, m)
      }
    }
    var named: [(ImageReference?, Descriptor)] = []
    for entry in entries {
      guard let configInfo = try files.blob(entry.config, store: content) else {
        throw ImageError.invalidArchive("config \(entry.config) is not in the archive")
      }
      let config = try JSONDecoder().decode(
        ImageConfig.self, from: try content.read(configInfo.digest))
      guard config.rootfs.diffIDs.count == entry.layers.count else {
        throw ImageError.layerCountMismatch(
          layers: entry.layers.count, diffIDs: config.rootfs.diffIDs.count)
      }
      var target: Descriptor
      if let (desc, m) = ociManifests[configInfo.digest],
        m.layers.allSatisfy({ content.contains($0.digest) })
      {
        _ = try files.blob(
          "blobs/sha256/\(desc.digest.encoded)", store: content, expected: desc.digest)
        target = Descriptor(mediaType: desc.mediaType, digest: desc.digest, size: desc.size)
      } else {
        var layers: [Descriptor] = []
        for (i, path) in entry.layers.enumerated() {
          guard let info = try files.blob(path, store: content) else {
            throw ImageError.invalidArchive("layer \(path) is not in the archive")
          }
          let mediaType = try layerMediaType(info.digest)
          if mediaType == MediaType.ociLayer && info.digest != config.rootfs.diffIDs[i] {
            throw ImageError.diffIDMismatch(
              layer: info.digest, expected: config.rootfs.diffIDs[i], actual: info.digest)
          }
          layers.append(Descriptor(mediaType: mediaType, digest: info.digest, size: info.size))
        }
        let manifest = ImageManifest(
          config: Descriptor(
            mediaType: MediaType.ociConfig, digest: configInfo.digest, size: configInfo.size),
          layers: layers)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let blob = try content.put(Array(try enc.encode(manifest)))
        target = Descriptor(mediaType: MediaType.ociManifest, digest: blob.digest, size: blob.size)
      }
      let tags = entry.repoTags ?? []
      if tags.isEmpty { named.append((nil, target)) }
      for t in tags { named.append((try ImageReference(parsing: t), target)) }
    }
    return try writeNames(named)
  }

  func loadOCIIndex(
    _ indexJSON: [UInt8], defaultName: ImageReference?, blob: (Digest) throws -> BlobInfo?
  ) throws -> [ImageRecord] {
    let index: ImageIndex
    do {
      index = try JSONDecoder().decode(ImageIndex.self, from: Data(indexJSON))
    } catch {
      throw ImageError.invalidArchive("index.json: \(error)")
    }
    var named: [(ImageReference?, Descriptor)] = []
    for d in index.manifests {
      try ensureComplete(d, blob: blob, context: "index.json entry \(d.digest)")
      let annotations = d.annotations ?? [:]
      var ref: ImageReference?
      if let n = annotations[Descriptor.Annotation.containerdImageName] {
        ref = try ImageReference(parsing: n)
      } else if let n = annotations[Descriptor.Annotation.refName] {
        if n.contains("/") || n.contains("@"), let r = try? ImageReference(parsing: n) {
          ref = r
        } else if let base = defaultName {
          ref = base.withTag(n)
        }
      } else {
        ref = defaultName
      }
      named.append((ref, Descriptor(mediaType: d.mediaType, digest: d.digest, size: d.size)))
    }
    return try writeNames(named)
  }

  /// Commits every blob reachable from `d` (for an index: all present children, and at least
  /// the manifest of this store's platform) and fails if a needed one is missing.
  func ensureComplete(_ d: Descriptor, blob: (Digest) throws -> BlobInfo?, context: String) throws {
    guard try blob(d.digest) != nil else { throw ImageError.missingBlob(d.digest, in: context) }
    let bytes = try content.read(d.digest)
    if MediaType.isIndex(d.mediaType)
      || (d.mediaType.isEmpty && Self.sniffMediaType(bytes) == MediaType.ociIndex)
    {
      let index = try JSONDecoder().decode(ImageIndex.self, from: bytes)
      let mine = index.manifest(for: platform)
      for child in index.manifests {
        do {
          try ensureComplete(child, blob: blob, context: context)
        } catch ImageError.missingBlob(let missing, let ctx) {
          if child == mine { throw ImageError.missingBlob(missing, in: ctx) }
        }
      }
      return
    }
    let m = try JSONDecoder().decode(ImageManifest.self, from: bytes)
    for c in [m.config] + m.layers {
      guard try blob(c.digest) != nil else { throw ImageError.missingBlob(c.digest, in: context) }
    }
  }

  /// The media type a layer blob's first bytes imply (gzip, zstd or plain tar).
  func layerMediaType(_ digest: Digest) throws -> String {
    let fd = try content.openFD(digest)
    defer { close(fd) }
    var magic = [UInt8](repeating: 0, count: 4)
    let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4) }
    if n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b { return MediaType.ociLayerGzip }
    if n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] { return MediaType.ociLayerZstd }
    return MediaType.ociLayer
  }

  /// Writes the loaded names in one atomic update; unnamed images are recorded as dangling.
  func writeNames(_ named: [(ImageReference?, Descriptor)]) throws -> [ImageRecord] {
    try update { db in
      var out: [ImageRecord] = []
      let now = Timestamp.now()
      for (ref, target) in named where ref != nil {
        guard let ref else { continue }
        let r = ImageRecord(name: ref.description, target: target, updated: now)
        db.images[r.name] = r
        db.images[ImageRecord.danglingPrefix + target.digest.description] = nil
        out.append(r)
      }
      for (ref, target) in named where ref == nil {
        setDangling(target, in: &db)
        if let r = db.images[ImageRecord.danglingPrefix + target.digest.description] {
          out.append(r)
        }
      }
      return out
    }
  }
}
