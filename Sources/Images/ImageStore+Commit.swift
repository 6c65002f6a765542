// Commit: the changes in a container's upper directory become a new layer on its image.
import Archive
import ContentStore
import FoundationEssentials
import OCI

extension ImageStore {
  /// Writes `upperDirectory` as a gzip layer into the store (hashing the uncompressed tar
  /// for the diffID and the compressed bytes for the digest as they are written).
  public func ingestDiff(upperDirectory: String, gzipLevel: Int32 = -1) throws -> (
    layer: Descriptor, diffID: Digest
  ) {
    let diffHasher = SHA256Hasher()
    let info = try content.ingest { w in
      let gz = try GzipWriter(level: gzipLevel) { try w.write($0) }
      let tar = try TarWriter { chunk in
        diffHasher.update(chunk)
        try gz.write(chunk)
      }
      try LayerDiff.write(upperDirectory: upperDirectory, to: tar)
      try tar.close()
      try gz.finish()
    }
    return (
      Descriptor(mediaType: MediaType.ociLayerGzip, digest: info.digest, size: info.size),
      diffHasher.finalize()
    )
  }

  /// Like `docker commit`: a new image = `parent` + the diff in `upperDirectory`, with the
  /// parent's config (or `config` when given) and a history entry.
  @discardableResult
  public func commit(
    upperDirectory: String, parent: Image?, config: ImageConfig.Config? = nil,
    comment: String? = nil,
    author: String? = nil, createdBy: String? = nil, reference: ImageReference? = nil, intermediate: Bool = false
  ) throws -> Image {
    let (layer, diffID) = try ingestDiff(upperDirectory: upperDirectory)
    let now = Timestamp.now()
    var cfg =
      parent?.config
      ?? ImageConfig(
        architecture: platform.architecture, os: platform.os, variant: platform.variant)
    cfg.created = now
    if let author { cfg.author = author }
    if let config { cfg.config = config }
    cfg.rootfs.diffIDs.append(diffID)
    cfg.history =
      (cfg.history ?? []) + [
        ImageConfig.History(created: now, createdBy: createdBy, author: author, comment: comment)
      ]
    return try storeImage(
      config: cfg, layers: (parent?.manifest.layers ?? []) + [layer], reference: reference, intermediate: intermediate)
  }
}
