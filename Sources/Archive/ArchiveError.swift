#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public enum ArchiveError: Error, CustomStringConvertible, Equatable {
  /// A system call failed.
  case system(op: String, path: String, errno: Int32)
  /// libarchive reported an error.
  case library(op: String, message: String)
  /// The entry's path is absolute, contains `..`, or is otherwise not a plain relative path.
  case unsafePath(path: String, reason: String)
  /// A component of the path (or of a hardlink target) is a symlink; following it could
  /// leave the target directory, so the layer is refused.
  case symlinkInPath(path: String)
  /// A path component that must be a directory is not one.
  case notADirectory(path: String)
  /// The compressed stream is corrupt or truncated (`format` names the compression).
  case corruptStream(format: String, reason: String)
  /// The expanded stream exceeded the configured size bound (decompression bomb guard).
  case expandedSizeLimit(limit: Int64)
  /// The expansion ratio exceeded the configured bound (decompression bomb guard).
  case compressionRatioLimit(limit: Int64)
  case badHardlink(path: String, target: String, reason: String)
  /// An entry would replace a directory with a non-directory or the reverse (refused on request).
  case overwrite(path: String, directory: Bool)

  public var description: String {
    switch self {
    case .system(let op, let path, let e):
      return "layer: \(op) \(path): \(String(cString: strerror(e))) (errno \(e))"
    case .library(let op, let m): return "layer: \(op): \(m)"
    case .corruptStream(let format, let reason): return "layer: corrupt \(format) stream: \(reason)"
    case .unsafePath(let p, let r): return "layer refused: entry \"\(p)\" \(r)"
    case .symlinkInPath(let p):
      return
        "layer refused: a component of \"\(p)\" is a symlink; entries may not be written through symlinks"
    case .notADirectory(let p): return "layer: a parent of \"\(p)\" exists and is not a directory"
    case .expandedSizeLimit(let l):
      return
        "layer refused: expands to more than \(l) bytes (decompression bomb guard; raise the bound if legitimate)"
    case .compressionRatioLimit(let l):
      return "layer refused: expands more than \(l)x its compressed size (decompression bomb guard)"
    case .badHardlink(let p, let t, let r):
      return "layer refused: hardlink \"\(p)\" → \"\(t)\": \(r)"
    case .overwrite(let p, let directory):
      return directory
        ? "cannot overwrite directory \"\(p)\" with non-directory"
        : "cannot overwrite non-directory \"\(p)\" with directory"
    }
  }
}
