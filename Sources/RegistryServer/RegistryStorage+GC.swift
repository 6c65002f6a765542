// Online garbage collection: blobs no manifest of any repository references go, except
// those committed or touched within the grace period (a push that uploaded or found a
// blob and has not yet put its manifest). Uploads in progress are not blobs yet and are
// left alone until they expire. Manifest PUTs hold gc.lock shared, the collection holds
// it exclusive: a manifest verified against a blob cannot lose it between mark and sweep.
import ContentStore
import Foundation
import JSONCoding
import OCI

public struct GarbageCollectionReport: Sendable {
  public var removedBlobs: [Digest] = []
  public var removedUploads: [String] = []
  public var keptBlobs = 0
}

extension RegistryStorage {
  /// `gracePeriod`: blobs younger than this (seconds) survive. `uploadExpiry`: uploads
  /// untouched for this long are abandoned and removed.
  @discardableResult
  public func garbageCollect(gracePeriod: Int64 = 3600, uploadExpiry: Int64 = 86_400) throws
    -> GarbageCollectionReport
  {
    var report = GarbageCollectionReport()
    try withGCLock(exclusive: true) {
      var roots: [Digest] = []
      let repositories = repositories()
      for repository in repositories { roots += revisions(repository) }
      let manifests = Set(roots)
      let keep = try ContentStore.reachable(from: roots) { digest in
        // Only manifests are read (never a layer); a missing one has nothing to keep. An
        // unreadable one stops the collection rather than losing the blobs it holds.
        guard manifests.contains(digest), blobs.contains(digest) else { return [] }
        return try JSON.decode(ManifestProbe.self, from: manifestBytes(digest)).references
      }
      report.removedBlobs = try blobs.garbageCollect(keep: keep, gracePeriod: max(gracePeriod, 0))
      report.keptBlobs = try blobs.list().count
      let removed = Set(report.removedBlobs)
      for repository in repositories where !removed.isEmpty {
        for name in list("\(repositoryDir(repository))/_layers/sha256") {
          guard let d = Digest(sha256Hex: name), removed.contains(d) else { continue }
          try removeFile(layerLink(repository, d))
        }
      }
    }
    report.removedUploads = removeStaleUploads(olderThan: uploadExpiry)
    return report
  }
}
