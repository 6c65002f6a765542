// Removing names and images, and garbage collection of blobs and snapshots.
import ContentStore
import FoundationEssentials
import OCI
import Snapshots

extension ImageStore {
  /// Removes the name `reference`. Returns the removed record.
  @discardableResult
  public func untag(_ reference: ImageReference) throws -> ImageRecord {
    try update { db in
      guard let r = db.images.removeValue(forKey: reference.description) else {
        throw ImageError.notFound(reference.familiarString)
      }
      return r
    }
  }

  /// Like `docker rmi`: a name removes that name (and the image when it was the last);
  /// an ID removes every name of the image (more than one needs `force`). An image a
  /// container uses (`inUse` returns container names for an image ID) needs `force`.
  /// Unreferenced blobs and snapshots are collected afterwards.
  @discardableResult
  public func remove(
    _ nameOrID: String, force: Bool = false, inUse: (Digest) -> [String] = { _ in [] }
  ) throws
    -> [ImageRecord]
  {
    let img = try image(nameOrID)
    let all = list().filter { (try? resolve($0))?.id == img.id }
    let named = (try? ImageReference(parsing: nameOrID)).flatMap { ref in
      all.first { $0.name == ref.description }
    }
    let victims = named.map { [$0] } ?? all
    if named == nil && all.filter({ !$0.isDangling }).count > 1 && !force {
      throw ImageError.inUse(img.id.shortHex, by: all.map(\.name))
    }
    if victims.count == all.count && !force {
      let users = inUse(img.id)
      if !users.isEmpty { throw ImageError.inUse(img.id.shortHex, by: users) }
    }
    try update { db in
      for v in victims { db.images[v.name] = nil }
    }
    try garbageCollect()
    return victims
  }

  /// Removes blobs and committed snapshots no name refers to. Active snapshots (containers)
  /// and snapshots they stand on are kept; so are blobs younger than `gracePeriod` seconds
  /// (an in-flight pull or load that has not written its names yet).
  @discardableResult
  public func garbageCollect(gracePeriod: Int64 = 600) throws -> (
    blobs: [Digest], snapshots: [String]
  ) {
    let records = list()
    let keep = ContentStore.reachable(from: records.map(\.target.digest)) { d in
      guard let bytes = try? content.read(d) else { return [] }
      struct Refs: Decodable {
        var manifests: [Descriptor]?
        var config: Descriptor?
        var layers: [Descriptor]?
      }
      guard let r = try? JSONDecoder().decode(Refs.self, from: bytes) else { return [] }
      return (r.manifests ?? []).map(\.digest) + (r.config.map { [$0.digest] } ?? [])
        + (r.layers ?? []).map(\.digest)
    }
    let removedBlobs = try content.garbageCollect(keep: keep, gracePeriod: gracePeriod)

    // Snapshots: keep every chain prefix of every image, and ancestors of anything active.
    var wanted = Set<String>()
    for r in records {
      guard let img = try? resolve(r) else { continue }
      let chain = ChainID.chain(img.config.rootfs.diffIDs)
      for c in chain { wanted.insert(c.description) }
      wanted.insert(Self.initLayerKey(top: chain.last?.description))
    }
    var removedSnapshots: [String] = []
    var changed = true
    while changed {
      changed = false
      let all = snapshots.list()
      let parents = Set(all.compactMap(\.parent))
      for s in all where s.kind == .committed && !wanted.contains(s.key) && !parents.contains(s.key) {
        if (try? snapshots.remove(s.key)) != nil {
          removedSnapshots.append(s.key)
          changed = true
        }
      }
    }
    return (removedBlobs, removedSnapshots)
  }
}
