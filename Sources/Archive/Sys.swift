// Raw syscall helpers: each retries EINTR and throws ArchiveError.system with errno.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum Sys {
  static let S_IFMT: mode_t = 0o170000
  static let S_IFREG: mode_t = 0o100000
  static let S_IFDIR: mode_t = 0o040000
  static let S_IFLNK: mode_t = 0o120000
  static let S_IFCHR: mode_t = 0o020000
  static let S_IFBLK: mode_t = 0o060000
  static let S_IFIFO: mode_t = 0o010000
  static let S_IFSOCK: mode_t = 0o140000

  static func fail(_ op: String, _ path: String, _ e: Int32 = errno) -> ArchiveError {
    .system(op: op, path: path, errno: e)
  }

  @inline(__always)
  static func retry(_ body: () -> Int32) -> Int32 {
    while true {
      let r = body()
      if r >= 0 || errno != EINTR { return r }
    }
  }

  static func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int, path: String) throws {
    var p = p
    var left = n
    while left > 0 {
      let w = Glibc.write(fd, p, left)
      if w < 0 {
        if errno == EINTR { continue }
        throw fail("write", path)
      }
      p += w
      left -= w
    }
  }

  static func pwriteAll(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int, offset: Int64, path: String)
    throws
  {
    var p = p
    var left = n
    var off = offset
    while left > 0 {
      let w = pwrite(fd, p, left, off_t(off))
      if w < 0 {
        if errno == EINTR { continue }
        throw fail("pwrite", path)
      }
      p += w
      left -= w
      off += Int64(w)
    }
  }

  static func fstatat(_ dirfd: Int32, _ name: String) -> stat? {
    var st = stat()
    return Glibc.fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st : nil
  }

  /// Removes `name` in `dirfd`, recursively if it is a directory (never following symlinks).
  static func removeAll(_ dirfd: Int32, _ name: String, path: String) throws {
    if unlinkat(dirfd, name, 0) == 0 || errno == ENOENT { return }
    guard errno == EISDIR || errno == EPERM else { throw fail("unlink", path) }
    let fd = retry { openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
    guard fd >= 0 else { throw fail("open", path) }
    guard let dir = fdopendir(fd) else {
      close(fd)
      throw fail("fdopendir", path)
    }
    var children: [String] = []
    while let ent = readdir(dir) {
      let n = withUnsafePointer(to: ent.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if n != "." && n != ".." { children.append(n) }
    }
    defer { closedir(dir) }
    for c in children { try removeAll(fd, c, path: path + "/" + c) }
    if unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT { throw fail("rmdir", path) }
  }

  static func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
    berth_archive_makedev(major, minor)
  }
}
