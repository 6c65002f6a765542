// A layer entry "tmp/x" without a "tmp/" entry makes "tmp" as a plain 0755 root directory;
// in the overlay that upper directory would hide the lower layer's 1777 /tmp. As
// containerd's applier does, such directories take mode and owner from the nearest layer
// below that has the path. Every path is opened component by component with O_NOFOLLOW:
// a layer's symlink never leads outside its snapshot.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum ParentAttributes {
  /// Gives each of `implicit` (paths relative to `upper`, parents first) the mode (and with
  /// `ownership` the owner) of the same directory in the nearest of `lowers` (nearest first)
  /// that has something at that path; a non-directory there (a file, a whiteout) ends the search.
  static func inherit(_ implicit: [String], upper: String, lowers: [String], ownership: Bool) throws {
    guard !implicit.isEmpty, !lowers.isEmpty else { return }
    for path in implicit {
      var found: stat?
      for lower in lowers {
        switch lookup(lower, path) {
        case .directory(let st): found = st
        case .other: break
        case .absent: continue
        }
        break
      }
      guard let st = found, let fd = openDirectory(upper, path) else { continue }
      defer { close(fd) }
      if ownership, fchown(fd, st.st_uid, st.st_gid) != 0 {
        throw ImageError.parentAttributes(path: path, errno: errno)
      }
      if fchmod(fd, st.st_mode & 0o7777) != 0 { throw ImageError.parentAttributes(path: path, errno: errno) }
    }
  }

  enum Found {
    case directory(stat)
    case other
    case absent
  }

  static func lookup(_ root: String, _ path: String) -> Found {
    if let fd = openDirectory(root, path) {
      defer { close(fd) }
      var st = stat()
      return fstat(fd, &st) == 0 ? .directory(st) : .absent
    }
    // Not a directory: is something else there (which hides anything further below)?
    var comps = path.split(separator: "/").map(String.init)
    guard let name = comps.popLast(), let parent = openDirectory(root, comps.joined(separator: "/")) else {
      return .absent
    }
    defer { close(parent) }
    var st = stat()
    return fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? .other : .absent
  }

  /// The directory `path` beneath `root`, opened without following symlinks; nil if any
  /// component is missing or not a directory.
  static func openDirectory(_ root: String, _ path: String) -> Int32? {
    var fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    for c in path.split(separator: "/") where !c.isEmpty {
      let next = openat(fd, String(c), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      close(fd)
      guard next >= 0 else { return nil }
      fd = next
    }
    return fd
  }
}
