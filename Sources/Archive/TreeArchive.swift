// Writes a file or a directory tree as tar entries (`docker cp`), walking with descriptors
// only: every step is an openat(O_NOFOLLOW) relative to a directory already open, so a
// symlink swapped in during the walk is archived as a symlink, never followed.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public enum TreeArchive {
  /// Writes `name` in the directory `dirFD` (`"."`: that directory itself) as entries named
  /// `entryName` and, for a directory, `entryName/…` below it. The caller closes `tar`.
  /// `adjust` rewrites each entry's metadata (a build's COPY sets owners and modes).
  public static func write(
    at dirFD: Int32, _ name: String, as entryName: String, to tar: TarWriter,
    adjust: ((inout TarWriter.Metadata, _ isDirectory: Bool) -> Void)? = nil
  ) throws {
    var links: [String: String] = [:]
    try entry(dirFD, name, rel: entryName, tar: tar, links: &links, adjust: adjust)
  }

  private static func entry(
    _ dirFD: Int32, _ name: String, rel: String, tar: TarWriter, links: inout [String: String],
    adjust: ((inout TarWriter.Metadata, Bool) -> Void)?
  ) throws {
    guard let st = Sys.fstatat(dirFD, name) else { throw Sys.fail("lstat", rel) }
    var meta = TarWriter.Metadata(
      mode: st.st_mode & 0o7777, uid: Int64(st.st_uid), gid: Int64(st.st_gid), mtime: st.st_mtim)
    adjust?(&meta, st.st_mode & Sys.S_IFMT == Sys.S_IFDIR)
    let type = st.st_mode & Sys.S_IFMT
    switch type {
    case Sys.S_IFDIR:
      let fd = Sys.retry { openat(dirFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
      guard fd >= 0 else { throw Sys.fail("open", rel) }
      defer { close(fd) }
      meta.xattrs = xattrs(fd)
      try tar.addDirectory(rel, metadata: meta)
      let prefix = rel == "/" ? "/" : rel + "/"
      for child in try names(fd, path: rel) {
        try entry(fd, child, rel: prefix + child, tar: tar, links: &links, adjust: adjust)
      }
    case Sys.S_IFREG:
      if st.st_nlink > 1 {
        let key = "\(st.st_dev):\(st.st_ino)"
        if let first = links[key] {
          try tar.addHardlink(rel, target: first, metadata: meta)
          return
        }
        links[key] = rel
      }
      // O_NONBLOCK: a FIFO swapped in after the stat must not block the open.
      let fd = Sys.retry { openat(dirFD, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
      guard fd >= 0 else { throw Sys.fail("open", rel) }
      defer { close(fd) }
      var now = stat()
      guard fstat(fd, &now) == 0, now.st_ino == st.st_ino, now.st_dev == st.st_dev else {
        throw ArchiveError.library(op: "archive \(rel)", message: "the file changed while it was archived")
      }
      meta.xattrs = xattrs(fd)
      try copy(fd, size: Int64(st.st_size), rel: rel, metadata: meta, tar: tar)
    case Sys.S_IFLNK:
      var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlinkat(dirFD, name, &buf, buf.count - 1)
      guard n >= 0 else { throw Sys.fail("readlink", rel) }
      let target = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      try tar.addSymlink(rel, target: target, metadata: meta)
    case Sys.S_IFCHR, Sys.S_IFBLK, Sys.S_IFIFO:
      try tar.addNode(
        rel, type: type, major: berth_archive_major(st.st_rdev), minor: berth_archive_minor(st.st_rdev),
        metadata: meta)
    default:
      return  // sockets are not archived (as Docker)
    }
  }

  /// Exactly `size` bytes of `fd`: a file that grows is cut, one that shrinks is padded,
  /// so a file written to while it is copied still makes a valid tar.
  private static func copy(
    _ fd: Int32, size: Int64, rel: String, metadata: TarWriter.Metadata, tar: TarWriter
  ) throws {
    try tar.addFile(rel, size: size, metadata: metadata) { sink in
      let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
      defer { buf.deallocate() }
      var left = size
      while left > 0 {
        let n = read(fd, buf.baseAddress, Int(min(Int64(buf.count), left)))
        if n < 0 {
          if errno == EINTR { continue }
          throw Sys.fail("read", rel)
        }
        if n == 0 { break }
        try sink(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
        left -= Int64(n)
      }
      if left > 0 {
        buf.initializeMemory(as: UInt8.self, repeating: 0)
        while left > 0 {
          let n = Int(min(Int64(buf.count), left))
          try sink(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
          left -= Int64(n)
        }
      }
    }
  }

  /// The names in the directory `dirFD`, sorted (`.` and `..` left out).
  public static func names(_ dirFD: Int32, path: String) throws -> [String] {
    let d = Sys.retry { openat(dirFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    guard d >= 0 else { throw Sys.fail("open", path) }
    guard let dir = fdopendir(d) else {
      close(d)
      throw Sys.fail("opendir", path)
    }
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

  /// Extended attributes of an open file, without overlay's own.
  private static func xattrs(_ fd: Int32) -> [(name: String, value: [UInt8])] {
    var names = [CChar](repeating: 0, count: 4096)
    let n = flistxattr(fd, &names, names.count)
    guard n > 0 else { return [] }
    var out: [(String, [UInt8])] = []
    for raw in names[0..<n].split(separator: 0) {
      let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if name.hasPrefix("trusted.overlay.") { continue }
      var value = [UInt8](repeating: 0, count: 65536)
      let m = fgetxattr(fd, name, &value, value.count)
      if m >= 0 { out.append((name, Array(value[0..<m]))) }
    }
    return out.sorted { $0.0 < $1.0 }
  }
}
