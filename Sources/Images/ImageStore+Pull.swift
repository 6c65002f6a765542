// Names for pulled images: the manifest blob (already committed, bytes as the registry
// served them) gets the reference, and the repo digest the registry knows it by.
import OCI

extension ImageStore {
  /// Points `reference` at `manifest` (a single-platform manifest already in the content
  /// store) and records `repoDigest` ("name@sha256:…", the digest the image was pulled as).
  @discardableResult
  public func registerPulled(_ reference: ImageReference, manifest: Descriptor, repoDigest: String)
    throws -> Image
  {
    let record = ImageRecord(
      name: reference.description, target: manifest, updated: Timestamp.now(),
      repoDigests: [repoDigest])
    try update { db in
      db.images[reference.description] = record
      db.images[ImageRecord.danglingPrefix + manifest.digest.description] = nil
    }
    return try resolve(record)
  }

  /// Adds `repoDigest` to the name `reference` (after a push, as docker records it).
  public func addRepoDigest(_ repoDigest: String, to reference: ImageReference) throws {
    try update { db in
      guard var record = db.images[reference.description] else { return }
      var digests = record.repoDigests ?? []
      // One digest per repository: a new push of the repository replaces the old one.
      let repo = repoDigest.split(separator: "@").first.map(String.init) ?? repoDigest
      digests.removeAll { $0.hasPrefix(repo + "@") }
      digests.append(repoDigest)
      record.repoDigests = digests
      db.images[reference.description] = record
    }
  }

  /// Docker's RepoDigests of an image: every repo digest recorded by a name that points at
  /// the same manifest, sorted, without duplicates.
  public func repoDigests(of image: Image) -> [String] {
    let digest = image.record.target.digest
    let all = list().filter { $0.target.digest == digest }.flatMap { $0.repoDigests ?? [] }
    return Array(Set(all)).sorted()
  }

  /// Whether the tag `reference` already names `manifest` (a pull that changed nothing).
  public func names(_ reference: ImageReference, manifest: Digest) -> Bool {
    list().contains { $0.name == reference.description && $0.target.digest == manifest }
  }
}
