// Garbage collection: remove blobs not reachable from the caller's roots.
import OCI

extension ContentStore {
  /// Deletes every blob not in `keep` and older than `gracePeriod` seconds (a blob just
  /// ingested by a pull or load that has not yet been referenced survives). Also removes
  /// stale ingest temp files. Returns the removed digests.
  @discardableResult
  public func garbageCollect(keep: Set<Digest>, gracePeriod: Int64 = 0) throws -> [Digest] {
    let now = Int64(time(nil))
    var removed: [Digest] = []
    for blob in try list() where !keep.contains(blob.digest) {
      if gracePeriod > 0 && now - blob.committedAt < gracePeriod { continue }
      try delete(blob.digest)
      removed.append(blob.digest)
    }
    try removeStaleIngests(olderThan: max(gracePeriod, 3600))
    return removed
  }

  /// The set reachable from `roots` by following `children` (e.g. index → manifests,
  /// manifest → config + layers). Missing blobs are kept in the set but not expanded.
  public static func reachable(
    from roots: some Sequence<Digest>, children: (Digest) throws -> [Digest]
  ) rethrows -> Set<Digest> {
    var seen = Set<Digest>()
    var stack = Array(roots)
    while let d = stack.popLast() {
      guard seen.insert(d).inserted else { continue }
      stack.append(contentsOf: try children(d))
    }
    return seen
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif
