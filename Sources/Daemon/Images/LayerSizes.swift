// An image's size as docker shows it: its layers unpacked (the snapshot directories), not
// their compressed blobs. A committed snapshot never changes, so each is measured once.
import Images
import OCI
import Synchronization

final class LayerSizes: Sendable {
  private let measured = Mutex<[String: Int64]>([:])

  /// Blocking (walks directories): call it on the blocking pool. A layer not unpacked yet
  /// counts with its blob's size.
  func unpackedSize(_ image: Image, store: ImageStore) -> Int64 {
    let chains = ChainID.chain(image.config.rootfs.diffIDs)
    var total: Int64 = 0
    for (i, layer) in image.manifest.layers.enumerated() {
      guard i < chains.count else {
        total += layer.size
        continue
      }
      total += size(ofSnapshot: chains[i].description, store: store) ?? layer.size
    }
    return total
  }

  private func size(ofSnapshot key: String, store: ImageStore) -> Int64? {
    if let known = measured.withLock({ $0[key] }) { return known }
    guard store.snapshots.stat(key)?.kind == .committed, let dir = try? store.snapshots.filesystemDirectory(key)
    else { return nil }
    let size = ContainerFS.diskUsage(dir)
    measured.withLock { $0[key] = size }
    return size
  }
}
