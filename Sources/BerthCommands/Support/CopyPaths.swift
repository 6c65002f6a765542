// docker cp's path rules (moby's pkg/archive copy.go): where a copied file or directory
// lands and under what name, decided from the source and the destination.
import Glibc

/// What is known about one side of a copy.
struct CopyInfo: Equatable {
  var path: String
  var exists = false
  var isDirectory = false
  /// The name the source takes in the tar when it differs from its path's (a followed link).
  var rebaseName: String?
}

enum CopyPaths {
  enum Failure: Error, Equatable, CustomStringConvertible {
    case cannotCopyDirectory
    case directoryNotExists
    case notADirectory

    var description: String {
      switch self {
      case .cannotCopyDirectory: "cannot copy a directory to a file"
      case .directoryNotExists: "no such directory"
      case .notADirectory: "not a directory"
      }
    }
  }

  /// Where to extract and what the source's top entry is called there (PrepareArchiveCopy).
  static func prepare(source: CopyInfo, destination: CopyInfo) throws -> (directory: String, entryName: String) {
    let (dstDir, dstBase) = splitDirEntry(destination.path)
    let srcBase = source.rebaseName ?? splitDirEntry(source.path).1
    if destination.exists && destination.isDirectory { return (destination.path, srcBase) }
    if destination.exists && source.isDirectory { throw Failure.cannotCopyDirectory }
    if destination.exists || source.isDirectory { return (dstDir, dstBase) }
    if assertsDirectory(destination.path) { throw Failure.directoryNotExists }
    return (dstDir, dstBase)
  }

  /// A path's directory and last entry, keeping "." for a path naming a directory's contents.
  static func splitDirEntry(_ path: String) -> (String, String) {
    var cleaned = clean(path)
    if base(path) == "." && cleaned != "." { cleaned += cleaned.hasSuffix("/") ? "." : "/." }
    return (dir(cleaned), base(cleaned))
  }

  /// The local path made absolute, keeping a trailing "/" or "/.".
  static func absolute(_ path: String, cwd: String) -> String {
    let joined = path.hasPrefix("/") ? path : cwd + "/" + path
    return preserveTrailing(clean(joined), original: path)
  }

  static func preserveTrailing(_ cleaned: String, original: String) -> String {
    var out = cleaned
    if base(out) != "." && base(original) == "." {
      if !out.hasSuffix("/") { out += "/" }
      out += "."
    }
    if !out.hasSuffix("/") && original.hasSuffix("/") { out += "/" }
    return out
  }

  static func assertsDirectory(_ path: String) -> Bool { path.hasSuffix("/") || base(path) == "." }

  /// GetRebaseName: the followed path (with the original's trailing "/" or "/.") and the
  /// name the copy should keep when the last elements differ.
  static func rebaseName(path: String, resolved: String) -> (String, String?) {
    var resolvedPath = resolved
    if base(path) == "." && base(resolved) != "." {
      resolvedPath += resolvedPath.hasSuffix("/") ? "." : "/."
    } else if path.hasSuffix("/") && !resolved.hasSuffix("/") {
      resolvedPath += "/"
    }
    return (resolvedPath, base(path) != base(resolvedPath) ? base(path) : nil)
  }

  // MARK: Go's filepath

  static func clean(_ path: String) -> String {
    if path.isEmpty { return "." }
    let rooted = path.hasPrefix("/")
    var parts: [Substring] = []
    for c in path.split(separator: "/") {
      if c == "." { continue }
      if c == ".." {
        if let last = parts.last, last != ".." {
          parts.removeLast()
        } else if !rooted {
          parts.append(c)
        }
        continue
      }
      parts.append(c)
    }
    let joined = parts.joined(separator: "/")
    if rooted { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  static func base(_ path: String) -> String {
    if path.isEmpty { return "." }
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    if p == "/" { return "/" }
    if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
    return String(p)
  }

  static func dir(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return clean(String(path[...slash]))
  }

  static func join(_ a: String, _ b: String) -> String { clean(a + "/" + b) }

  /// Splits `CONTAINER:PATH`; a local path (absolute, or a relative one starting with ".")
  /// gives no container.
  static func splitArgument(_ arg: String) -> (container: String?, path: String) {
    if arg.hasPrefix("/") { return (nil, arg) }
    guard let colon = arg.firstIndex(of: ":") else { return (nil, arg) }
    let container = String(arg[..<colon])
    if container.hasPrefix(".") { return (nil, arg) }
    return (container, String(arg[arg.index(after: colon)...]))
  }
}
