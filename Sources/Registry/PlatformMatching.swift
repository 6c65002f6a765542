// Choosing one manifest of an index / manifest list for a platform (the host's, or
// `--platform`): OCI's Platform.matches and ImageIndex.manifest(for:) rank the variants.
import OCI

enum PlatformMatching {
  /// The manifest of `index` for `platform`, or an error listing what the index offers.
  static func select(_ index: ImageIndex, for platform: Platform, reference: String) throws -> Descriptor {
    if let d = index.manifest(for: platform) { return d }
    let available = index.manifests.compactMap { d -> String? in
      guard let p = d.platform, p.os != "unknown" else { return nil }
      return p.description
    }
    throw RegistryError.noMatchingPlatform(
      reference: reference, platform: platform.description, available: available)
  }
}
