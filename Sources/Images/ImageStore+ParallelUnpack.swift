// Layers unpacked at the same time: an overlay lower directory does not depend on the one
// below it, so each layer is applied into a snapshot of its own, without a parent; then,
// bottom-up, its implicit parent directories take their attributes from the layers below
// and it is committed on top of them.
import Archive
import OCI
import Snapshots

/// A layer applied on its own, waiting for the layers below before it is committed.
public struct DetachedLayer: Sendable {
  public let index: Int
  let active: String
  let implicitDirectories: [String]
}

extension ImageStore {
  /// Applies layer `index` into a new parentless snapshot (any thread, any order). nil when
  /// the layer is already unpacked. Finish with `commitDetached` (bottom-up) or `discardDetached`.
  /// The compressed layer is read from `stream` when given (a download still arriving: the
  /// caller commits the snapshot only once the blob is verified), else from the content store.
  public func applyDetached(
    _ index: Int, layers: [Descriptor], diffIDs: [Digest], options: LayerApplyOptions = LayerApplyOptions(),
    stream: Int32? = nil
  ) throws -> DetachedLayer? {
    guard diffIDs.count == layers.count, layers.indices.contains(index) else {
      throw ImageError.layerCountMismatch(layers: layers.count, diffIDs: diffIDs.count)
    }
    let key = ChainID.chain(diffIDs)[index].description
    if snapshots.stat(key)?.kind == .committed { return nil }
    let active = "extract-\(UInt64.random(in: 0...UInt64.max))-\(key)"
    _ = try snapshots.prepare(active)
    do {
      let dir = try snapshots.filesystemDirectory(active)
      let result = try applyVerified(
        layers[index], diffID: diffIDs[index], into: dir, options: options, stream: stream)
      return DetachedLayer(index: index, active: active, implicitDirectories: result.implicitDirectories)
    } catch {
      try? snapshots.remove(active)  // the apply's error is the one to report
      throw error
    }
  }

  /// Commits a detached layer on top of the layers below it, which must be committed.
  /// Returns false when a concurrent unpack committed the same layer first.
  @discardableResult
  public func commitDetached(
    _ layer: DetachedLayer, diffIDs: [Digest], options: LayerApplyOptions = LayerApplyOptions()
  ) throws -> Bool {
    let chains = ChainID.chain(diffIDs)
    let key = chains[layer.index].description
    let parent = layer.index == 0 ? nil : chains[layer.index - 1].description
    do {
      let dir = try snapshots.filesystemDirectory(layer.active)
      let lowers = try (parent.map { [$0] + snapshots.ancestors($0) } ?? []).map {
        try snapshots.filesystemDirectory($0)
      }
      try ParentAttributes.inherit(
        layer.implicitDirectories, upper: dir, lowers: lowers, ownership: options.preserveOwnership)
      try snapshots.commit(key, key: layer.active, parent: parent)
      return true
    } catch SnapshotError.alreadyExists {
      try? snapshots.remove(layer.active)  // a concurrent unpack committed the same layer
      return false
    } catch {
      try? snapshots.remove(layer.active)  // the commit's error is the one to report
      throw error
    }
  }

  /// Drops a detached layer that will not be committed (a pull that failed).
  public func discardDetached(_ layer: DetachedLayer) {
    try? snapshots.remove(layer.active)  // fails only when it is gone already
  }
}
