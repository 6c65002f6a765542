// `docker import`: a rootfs tarball (plain or compressed) becomes a one-layer image.
import Archive
import ContentStore
import FoundationEssentials
import OCI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ImageStore {
  /// Stores the layer read from `fd` gzip-compressed, returning its descriptor and diffID.
  /// The input may be plain or compressed; the diffID hashes the uncompressed tar.
  public func ingestLayer(fd: Int32, options: LayerApplyOptions = LayerApplyOptions()) throws -> (
    layer: Descriptor, diffID: Digest
  ) {
    let diffHasher = SHA256Hasher()
    let info = try content.ingest { w in
      let gz = try GzipWriter { try w.write($0) }
      try TarEntries.decompress(fd: fd, options: options) { chunk in
        diffHasher.update(chunk)
        try gz.write(chunk)
      }
      try gz.finish()
    }
    return (
      Descriptor(mediaType: MediaType.ociLayerGzip, digest: info.digest, size: info.size),
      diffHasher.finalize()
    )
  }

  /// Imports a rootfs tarball as an image, like `docker import`. `changes` supplies the
  /// execution config (the `-c` instructions, already parsed).
  @discardableResult
  public func importImage(
    fd: Int32, reference: ImageReference?, config changes: ImageConfig.Config? = nil,
    message: String? = nil,
    options: LayerApplyOptions = LayerApplyOptions()
  ) throws -> Image {
    let (layer, diffID) = try ingestLayer(fd: fd, options: options)
    let created = Timestamp.now()
    let config = ImageConfig(
      created: created, architecture: platform.architecture, os: platform.os,
      variant: platform.variant,
      config: changes, rootfs: ImageConfig.RootFS(diffIDs: [diffID]),
      history: [
        ImageConfig.History(created: created, createdBy: "", comment: message ?? "Imported from -")
      ])
    return try storeImage(config: config, layers: [layer], reference: reference)
  }

  /// Writes config and manifest blobs for `layers` (already in the store) and names the result.
  /// `intermediate`: an untagged build step, kept but not listed (see ImageRecord).
  public func storeImage(
    config: ImageConfig, layers: [Descriptor], reference: ImageReference?, intermediate: Bool = false
  ) throws -> Image {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    let configBlob = try content.put(Array(try enc.encode(config)))
    let manifest = ImageManifest(
      config: Descriptor(
        mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size),
      layers: layers)
    let manifestBlob = try content.put(Array(try enc.encode(manifest)))
    let target = Descriptor(
      mediaType: MediaType.ociManifest, digest: manifestBlob.digest, size: manifestBlob.size)
    try update { db in
      if let reference {
        db.images[reference.description] = ImageRecord(
          name: reference.description, target: target, updated: Timestamp.now())
      } else {
        setDangling(target, in: &db, intermediate: intermediate)
      }
    }
    let record = database.withLock { db in
      db.images.values.first { $0.target.digest == target.digest }
    }
    return Image(
      record: record
        ?? ImageRecord(
          name: ImageRecord.danglingPrefix + target.digest.description, target: target, updated: ""),
      manifestDescriptor: target, manifest: manifest, config: config)
  }
}
