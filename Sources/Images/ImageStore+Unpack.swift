// Unpacking: each layer becomes a committed snapshot named by its chain ID.
import Archive
import ContentStore
import OCI
import Snapshots

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ImageStore {
  /// Unpacks the image's layers into snapshots (skipping those already present) and returns
  /// the top snapshot key (the chain ID string), nil for an image without layers.
  @discardableResult
  public func unpack(_ image: Image, options: LayerApplyOptions = LayerApplyOptions()) throws
    -> String?
  {
    let diffIDs = image.config.rootfs.diffIDs
    guard diffIDs.count == image.manifest.layers.count else {
      throw ImageError.layerCountMismatch(
        layers: image.manifest.layers.count, diffIDs: diffIDs.count)
    }
    var parent: String?
    let chains = ChainID.chain(diffIDs)
    for (i, layer) in image.manifest.layers.enumerated() {
      let key = chains[i].description
      if snapshots.stat(key)?.kind == .committed {
        parent = key
        continue
      }
      try applyLayer(layer, diffID: diffIDs[i], key: key, parent: parent, options: options)
      parent = key
    }
    return parent
  }

  /// Unpacks layer `index` of a chain whose lower layers are already unpacked (a pull
  /// unpacks each layer as soon as it and those below are downloaded), calling `starting`
  /// just before the apply. Returns false when the snapshot already existed.
  @discardableResult
  public func unpackLayer(
    _ index: Int, layers: [Descriptor], diffIDs: [Digest], options: LayerApplyOptions = LayerApplyOptions(),
    starting: () -> Void = {}
  ) throws -> Bool {
    guard diffIDs.count == layers.count, layers.indices.contains(index) else {
      throw ImageError.layerCountMismatch(layers: layers.count, diffIDs: diffIDs.count)
    }
    let chains = ChainID.chain(diffIDs)
    let key = chains[index].description
    if snapshots.stat(key)?.kind == .committed { return false }
    let parent = index == 0 ? nil : chains[index - 1].description
    starting()
    try applyLayer(layers[index], diffID: diffIDs[index], key: key, parent: parent, options: options)
    return true
  }

  /// Applies one layer blob into a fresh active snapshot on `parent` and commits it as `key`.
  func applyLayer(
    _ layer: Descriptor, diffID: Digest, key: String, parent: String?, options: LayerApplyOptions
  ) throws {
    let active = "extract-\(UInt64.random(in: 0...UInt64.max))-\(key)"
    _ = try snapshots.prepare(active, parent: parent)
    do {
      let dir = try snapshots.filesystemDirectory(active)
      let result = try applyVerified(layer, diffID: diffID, into: dir, options: options)
      // Nearest first: the parent, then its ancestors.
      let lowers = try snapshots.ancestors(active).map { try snapshots.filesystemDirectory($0) }
      try ParentAttributes.inherit(
        result.implicitDirectories, upper: dir, lowers: lowers, ownership: options.preserveOwnership)
      do {
        try snapshots.commit(key, key: active)
      } catch SnapshotError.alreadyExists {
        try? snapshots.remove(active)  // a concurrent unpack committed the same layer
      }
    } catch {
      try? snapshots.remove(active)
      throw error
    }
  }

  /// Applies the layer blob (or `stream`, its bytes as they arrive) into `dir` and checks
  /// the uncompressed stream against `diffID`.
  func applyVerified(
    _ layer: Descriptor, diffID: Digest, into dir: String, options: LayerApplyOptions, stream: Int32? = nil
  ) throws -> LayerApplyResult {
    let fd = try stream ?? content.openFD(layer.digest)
    defer { if stream == nil { close(fd) } }
    let hasher = SHA256Hasher()
    let result = try LayerApplier.apply(fd: fd, into: dir, options: options) { hasher.update($0) }
    let actual = hasher.finalize()
    guard actual == diffID else {
      throw ImageError.diffIDMismatch(layer: layer.digest, expected: diffID, actual: actual)
    }
    return result
  }

  /// Prepares a writable snapshot (a container's rootfs) on top of the unpacked image and its
  /// init layer.
  public func prepareContainerSnapshot(_ key: String, image: Image, durable: Bool = true) throws -> [SnapshotMount] {
    let top = try unpack(image)
    return try snapshots.prepare(key, parent: try initLayer(on: top), durable: durable)
  }
}
