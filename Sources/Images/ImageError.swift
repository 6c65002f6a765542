import OCI

public enum ImageError: Error, CustomStringConvertible, Equatable {
  case notFound(String)
  case ambiguous(String, candidates: [String])
  case noMatchingPlatform(String, platform: String)
  case unsupportedMediaType(String, mediaType: String?)
  case diffIDMismatch(layer: Digest, expected: Digest, actual: Digest)
  case layerCountMismatch(layers: Int, diffIDs: Int)
  case invalidArchive(String)
  case missingBlob(Digest, in: String)
  case inUse(String, by: [String])
  case corruptMetadata(path: String, reason: String)
  /// Making an image's init layer (mount targets) failed.
  case initLayer(String)
  /// Giving a layer's implicit parent directory the attributes of the layers below failed.
  case parentAttributes(path: String, errno: Int32)

  public var description: String {
    switch self {
    case .notFound(let r): return "No such image: \(r)"
    case .ambiguous(let r, let c):
      return "image reference \"\(r)\" is ambiguous: matches \(c.sorted().joined(separator: ", "))"
    case .noMatchingPlatform(let r, let p): return "image \(r) has no manifest for platform \(p)"
    case .unsupportedMediaType(let r, let m): return "\(r): unsupported media type \(m ?? "(none)")"
    case .diffIDMismatch(let l, let e, let a):
      return
        "layer \(l): uncompressed content hashes to \(a), but the image config says \(e); the layer is corrupt"
    case .layerCountMismatch(let l, let d):
      return "image has \(l) layers but its config lists \(d) diff_ids"
    case .invalidArchive(let m): return "invalid image archive: \(m)"
    case .missingBlob(let d, let w): return "\(w): blob \(d) is missing"
    case .inUse(let i, let by):
      return "image \(i) is in use by \(by.joined(separator: ", ")); use force to remove"
    case .corruptMetadata(let p, let r): return "image metadata \(p) is unreadable: \(r)"
    case .initLayer(let m): return "init layer: \(m)"
    case .parentAttributes(let p, let e):
      return "unpack: setting the attributes of directory \(p) from the layers below: errno \(e)"
    }
  }
}
