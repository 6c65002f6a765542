// Resolves paths beneath a root directory without ever following a symlink, using
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) where the kernel has it and a
// component-by-component openat(O_NOFOLLOW) walk otherwise.
import CArchive
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

final class RootedDirectory {
  let rootFD: Int32
  let rootPath: String
  private var cachedKey: String?
  private var cachedFD: Int32 = -1
  /// Directories made because an entry needed them as a parent (no entry of their own yet):
  /// their attributes belong to the layers below (see LayerApplyResult.implicitDirectories).
  private(set) var implicitDirectories = Set<String>()

  // RESOLVE_NO_XDEV 0x01, RESOLVE_NO_MAGICLINKS 0x02, RESOLVE_NO_SYMLINKS 0x04, RESOLVE_BENEATH 0x08
  static let resolveFlags: UInt64 = 0x02 | 0x04 | 0x08
  /// Cleared for good the first time the kernel answers that it has no openat2.
  static let openat2Works = Atomic<Bool>(true)

  init(path: String) throws {
    rootPath = path
    rootFD = Sys.retry { Glibc.open(path, BERTH_O_PATH | O_DIRECTORY | O_CLOEXEC) }
    guard rootFD >= 0 else { throw Sys.fail("open", path) }
  }

  /// Rooted at an open directory (duplicated; the caller keeps its own descriptor).
  init(fd: Int32, path: String) throws {
    rootPath = path
    rootFD = Sys.retry { fcntl(fd, F_DUPFD_CLOEXEC, 0) }
    guard rootFD >= 0 else { throw Sys.fail("dup", path) }
  }

  deinit {
    if cachedFD >= 0 { close(cachedFD) }
    close(rootFD)
  }

  /// `path` got an entry of its own (a directory entry, or something replacing it).
  func markExplicit(_ path: String) {
    implicitDirectories.remove(path)
  }

  /// Drops the cached directory if it lies at or below `path` (a path being replaced).
  func invalidate(_ path: String) {
    guard let k = cachedKey else { return }
    if k == path || k.hasPrefix(path + "/") {
      close(cachedFD)
      cachedFD = -1
      cachedKey = nil
    }
  }

  /// An BERTH_O_PATH descriptor for the directory `components` (relative to the root), creating
  /// missing directories (mode 0755) when `create`. Borrowed: valid until the next call.
  func directory(_ components: ArraySlice<String>, create: Bool) throws -> Int32 {
    if components.isEmpty { return rootFD }
    let key = components.joined(separator: "/")
    if key == cachedKey { return cachedFD }
    let fd = try open(components, key: key, flags: BERTH_O_PATH, create: create)
    if cachedFD >= 0 { close(cachedFD) }
    cachedFD = fd
    cachedKey = key
    return fd
  }

  /// An owned descriptor for the directory `components`, opened with `flags`
  /// (e.g. O_RDONLY, to set xattrs or times). The caller closes it.
  func openDirectory(_ components: ArraySlice<String>, flags: Int32, create: Bool) throws -> Int32 {
    if components.isEmpty {
      let fd = Sys.retry { openat(rootFD, ".", flags | O_DIRECTORY | O_CLOEXEC) }
      guard fd >= 0 else { throw Sys.fail("open", rootPath) }
      return fd
    }
    return try open(
      components, key: components.joined(separator: "/"), flags: flags, create: create)
  }

  private func open(_ components: ArraySlice<String>, key: String, flags: Int32, create: Bool)
    throws -> Int32
  {
    if Self.openat2Works.load(ordering: .relaxed) {
      let fd = Sys.retry {
        berth_archive_openat2(
          rootFD, key, flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, Self.resolveFlags)
      }
      if fd >= 0 { return fd }
      switch errno {
      case ELOOP, EXDEV: throw ArchiveError.symlinkInPath(path: key)
      case ENOTDIR: break  // let the walk say which component
      case ENOENT: if !create { throw Sys.fail("open", key, ENOENT) }
      case ENOSYS, EPERM: Self.openat2Works.store(false, ordering: .relaxed)
      default: throw Sys.fail("openat2", key)
      }
    }
    return try walk(components, flags: flags, create: create)
  }

  private func walk(_ components: ArraySlice<String>, flags: Int32, create: Bool) throws -> Int32 {
    var fd = Sys.retry { openat(rootFD, ".", BERTH_O_PATH | O_DIRECTORY | O_CLOEXEC) }
    guard fd >= 0 else { throw Sys.fail("open", rootPath) }
    var soFar = ""
    for (i, c) in components.enumerated() {
      soFar += soFar.isEmpty ? c : "/" + c
      let last = i == components.count - 1
      let f = (last ? flags : BERTH_O_PATH) | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
      var next = Sys.retry { openat(fd, c, f) }
      if next < 0 && errno == ENOENT && create {
        if mkdirat(fd, c, 0o755) == 0 {
          implicitDirectories.insert(soFar)
        } else if errno != EEXIST {
          let e = errno
          close(fd)
          throw Sys.fail("mkdir", soFar, e)
        }
        next = Sys.retry { openat(fd, c, f) }
      }
      if next < 0 {
        let e = errno
        let st = Sys.fstatat(fd, c)
        close(fd)
        if let st, st.st_mode & Sys.S_IFMT == Sys.S_IFLNK {
          throw ArchiveError.symlinkInPath(path: soFar)
        }
        if let st, st.st_mode & Sys.S_IFMT != Sys.S_IFDIR {
          throw ArchiveError.notADirectory(path: soFar)
        }
        throw Sys.fail("open", soFar, e)
      }
      close(fd)
      fd = next
    }
    return fd
  }
}
