// Diff: walks an overlay upper directory and writes it as an OCI layer tar — overlay
// whiteouts (char device 0:0) become .wh.<name>, opaque directories (trusted.overlay.opaque=y)
// get a .wh..wh..opq entry, hardlinked files become hardlink entries. Deterministic order.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public enum LayerDiff {
  /// Writes the changes recorded in `upperDirectory` to `tar` (the caller closes it).
  public static func write(upperDirectory: String, to tar: TarWriter) throws {
    let fd = Sys.retry { open(upperDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    guard fd >= 0 else { throw Sys.fail("open", upperDirectory) }
    defer { close(fd) }
    var links: [String: String] = [:]
    try walk(fd, absolute: upperDirectory, relative: "", tar: tar, links: &links)
  }

  private static func names(_ dirfd: Int32, path: String) throws -> [String] {
    let d = Sys.retry { openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    guard d >= 0, let dir = fdopendir(d) else { throw Sys.fail("opendir", path) }
    defer { closedir(dir) }
    var out: [String] = []
    while let e = readdir(dir) {
      let n = withUnsafePointer(to: e.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if n != "." && n != ".." { out.append(n) }
    }
    return out.sorted()
  }

  private static func walk(
    _ dirfd: Int32, absolute: String, relative: String, tar: TarWriter,
    links: inout [String: String]
  ) throws {
    for name in try names(dirfd, path: absolute) {
      let abs = absolute + "/" + name
      let rel = relative.isEmpty ? name : relative + "/" + name
      guard let st = Sys.fstatat(dirfd, name) else { throw Sys.fail("lstat", abs) }
      var meta = TarWriter.Metadata(
        mode: st.st_mode & 0o7777, uid: Int64(st.st_uid), gid: Int64(st.st_gid), mtime: st.st_mtim)
      let type = st.st_mode & Sys.S_IFMT
      if type == Sys.S_IFCHR && st.st_rdev == 0 {
        let parent = relative.isEmpty ? "" : relative + "/"
        try tar.addFile(
          parent + ".wh." + name, bytes: [],
          metadata: TarWriter.Metadata(mode: 0, mtime: st.st_mtim))
        continue
      }
      meta.xattrs = xattrs(abs)
      switch type {
      case Sys.S_IFDIR:
        let opaque = meta.xattrs.contains {
          $0.name == "trusted.overlay.opaque" && $0.value == [0x79]
        }
        meta.xattrs.removeAll { $0.name.hasPrefix("trusted.overlay.") }
        try tar.addDirectory(rel, metadata: meta)
        if opaque {
          try tar.addFile(rel + "/.wh..wh..opq", bytes: [], metadata: TarWriter.Metadata(mode: 0))
        }
        let sub = Sys.retry { openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard sub >= 0 else { throw Sys.fail("open", abs) }
        defer { close(sub) }
        try walk(sub, absolute: abs, relative: rel, tar: tar, links: &links)
      case Sys.S_IFREG:
        meta.xattrs.removeAll { $0.name.hasPrefix("trusted.overlay.") }
        if st.st_nlink > 1 {
          let key = "\(st.st_dev):\(st.st_ino)"
          if let first = links[key] {
            try tar.addHardlink(rel, target: first, metadata: meta)
            continue
          }
          links[key] = rel
        }
        let f = Sys.retry { openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard f >= 0 else { throw Sys.fail("open", abs) }
        defer { close(f) }
        try tar.addFile(rel, fd: f, size: Int64(st.st_size), metadata: meta)
      case Sys.S_IFLNK:
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlinkat(dirfd, name, &buf, buf.count - 1)
        guard n >= 0 else { throw Sys.fail("readlink", abs) }
        let target = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        meta.xattrs = []
        try tar.addSymlink(rel, target: target, metadata: meta)
      case Sys.S_IFCHR, Sys.S_IFBLK, Sys.S_IFIFO:
        try tar.addNode(
          rel, type: type, major: berth_archive_major(st.st_rdev),
          minor: berth_archive_minor(st.st_rdev), metadata: meta)
      default:
        continue  // sockets are not carried in layers
      }
    }
  }

  private static func xattrs(_ path: String) -> [(name: String, value: [UInt8])] {
    var names = [CChar](repeating: 0, count: 4096)
    let n = llistxattr(path, &names, names.count)
    guard n > 0 else { return [] }
    var out: [(String, [UInt8])] = []
    for raw in names[0..<n].split(separator: 0) {
      let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      var value = [UInt8](repeating: 0, count: 65536)
      let m = lgetxattr(path, name, &value, value.count)
      if m >= 0 { out.append((name, Array(value[0..<m]))) }
    }
    return out.sorted { $0.0 < $1.0 }
  }
}
