// Image index: OCI image-spec image-index.md and Docker manifest list (same shape).

public struct ImageIndex: Codable, Sendable, Hashable {
  public var schemaVersion: Int
  public var mediaType: String?
  public var artifactType: String?
  public var manifests: [Descriptor]
  public var subject: Descriptor?
  public var annotations: [String: String]?

  public init(
    schemaVersion: Int = 2, mediaType: String? = MediaType.ociIndex, manifests: [Descriptor],
    annotations: [String: String]? = nil
  ) {
    self.schemaVersion = schemaVersion
    self.mediaType = mediaType
    self.manifests = manifests
    self.annotations = annotations
  }

  /// The best manifest for `platform`: exact variant first, then the highest compatible
  /// variant, then one without a variant. Entries without a platform (attestations,
  /// unknown types) are skipped; so are Docker's "unknown/unknown" attestation manifests.
  public func manifest(for platform: Platform = .host) -> Descriptor? {
    let want = platform.normalized
    var best: (Descriptor, Int)?
    for d in manifests {
      guard MediaType.isManifest(d.mediaType) || MediaType.isIndex(d.mediaType) else { continue }
      guard let p = d.platform, want.matches(p) else { continue }
      let have = p.normalized
      var score = 1
      if have.variant == want.variant {
        score = 1000
      } else if let v = have.variant, let n = Int(v.dropFirst()) {
        score = 10 + n
      }
      if best == nil || score > (best?.1 ?? 0) { best = (d, score) }
    }
    return best?.0
  }
}

/// The `oci-layout` file of an OCI image layout.
public struct ImageLayout: Codable, Sendable, Hashable {
  public var imageLayoutVersion: String
  public init(imageLayoutVersion: String = "1.0.0") { self.imageLayoutVersion = imageLayoutVersion }
}
