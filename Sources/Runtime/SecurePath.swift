import Glibc
import LinuxOS

/// Resolves a container path inside a root directory the way the container would see it:
/// symlinks are followed but can never climb out of the root (like a chroot would).
/// Used for mount destinations, so a hostile image cannot make a mount land on the host.
public enum SecurePath {
  /// Lexically cleans an absolute path: removes ".", "..", and duplicate slashes, never above "/".
  public static func clean(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  /// The host path for `unsafePath` inside `root`, following symlinks within root.
  /// `readLink` is injectable for tests.
  public static func resolve(
    root: String, _ unsafePath: String, readLink: (String) -> String? = SecurePath.readLink
  ) throws -> String {
    var pending = clean(unsafePath).split(separator: "/").map(String.init)
    var resolved: [String] = []
    var linksFollowed = 0
    while !pending.isEmpty {
      let part = pending.removeFirst()
      if part == "." || part.isEmpty { continue }
      if part == ".." {
        _ = resolved.popLast()
        continue
      }
      let candidate = root + "/" + (resolved + [part]).joined(separator: "/")
      guard let target = readLink(candidate) else {
        resolved.append(part)
        continue
      }
      linksFollowed += 1
      if linksFollowed > 255 { throw RuntimeError("too many symlinks resolving \(unsafePath) in \(root)") }
      let targetParts = target.split(separator: "/").map(String.init)
      if target.hasPrefix("/") { resolved = [] }
      pending = targetParts + pending
    }
    return resolved.isEmpty ? root : root + "/" + resolved.joined(separator: "/")
  }

  /// The symlink's target, or nil when the path is not a symlink (or does not exist).
  public static func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4097)
    let n = readlink(path, &buffer, 4096)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
