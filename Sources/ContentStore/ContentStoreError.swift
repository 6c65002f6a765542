import OCI

public enum ContentStoreError: Error, CustomStringConvertible, Equatable {
  /// A system call failed: `op` on `path` with `errno`.
  case system(op: String, path: String, errno: Int32)
  case notFound(Digest)
  case digestMismatch(expected: Digest, actual: Digest)
  case sizeMismatch(expected: Int64, actual: Int64, digest: Digest?)
  case unsupportedAlgorithm(String)
  case tooLarge(limit: Int64)

  public var description: String {
    switch self {
    case .system(let op, let path, let e):
      return "content store: \(op) \(path): \(String(cString: strerror(e))) (errno \(e))"
    case .notFound(let d): return "content store: blob \(d) not found"
    case .digestMismatch(let e, let a):
      return
        "content store: digest mismatch: expected \(e), got \(a); the source is corrupt or was modified"
    case .sizeMismatch(let e, let a, let d):
      return
        "content store: size mismatch\(d.map { " for \($0)" } ?? ""): expected \(e) bytes, got \(a)"
    case .unsupportedAlgorithm(let a):
      return "content store: unsupported digest algorithm \(a) (only sha256)"
    case .tooLarge(let l): return "content store: blob exceeds the limit of \(l) bytes"
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif
