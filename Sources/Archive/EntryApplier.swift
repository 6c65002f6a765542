// Writes one tar entry at a time beneath a RootedDirectory.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

final class Applier {
  let root: RootedDirectory
  let options: LayerApplyOptions
  /// Directories whose times are set at the end (creating children changes them).
  private var directoryTimes: [(components: [String], times: (timespec, timespec))] = []

  static let whiteoutPrefix = ".wh."
  static let opaqueMarker = ".wh..wh..opq"

  /// Writes regular files' data and metadata off the parser thread (nil: inline).
  private let writer: FileWriter?

  init(root: RootedDirectory, options: LayerApplyOptions) throws {
    self.root = root
    self.options = options
    if options.writerThreads > 0 {
      let w = FileWriter(threads: options.writerThreads)
      try w.start()
      writer = w
    } else {
      writer = nil
    }
  }

  deinit { writer?.cancel() }

  /// Stops the writer threads after a failed apply, dropping what they had queued.
  func cancel() { writer?.cancel() }

  /// Splits an entry path into components, refusing absolute paths and `..`.
  static func components(of path: String) throws -> [String] {
    if path.hasPrefix("/") { throw ArchiveError.unsafePath(path: path, reason: "is absolute") }
    var out: [String] = []
    for c in path.split(separator: "/", omittingEmptySubsequences: true) {
      if c == "." { continue }
      if c == ".." {
        throw ArchiveError.unsafePath(path: path, reason: "contains a \"..\" component")
      }
      out.append(String(c))
    }
    return out
  }

  func apply(_ entry: OpaquePointer, archive a: OpaquePointer?) throws {
    guard let cpath = archive_entry_pathname(entry) else {
      throw ArchiveError.unsafePath(path: "?", reason: "has no (or an undecodable) name")
    }
    let path = entryPath(String(cString: cpath))
    let comps = try Self.components(of: path)
    let type = archive_entry_filetype(entry) & Sys.S_IFMT
    guard let name = comps.last else {
      // "./": the root directory itself.
      if type == Sys.S_IFDIR { try applyDirectoryMetadata(entry, components: []) }
      return
    }
    let parent = comps.dropLast()

    if options.whiteouts && name.hasPrefix(Self.whiteoutPrefix) {
      try applyWhiteout(entry, name: name, parent: parent, path: path)
      return
    }
    let pfd = try root.directory(parent, create: true)

    if let hl = archive_entry_hardlink(entry) {
      let target = entryPath(String(cString: hl))
      try applyHardlink(
        entry, target: target, name: name, parentFD: pfd, comps: comps, path: path)
      return
    }

    switch type {
    case Sys.S_IFDIR:
      if mkdirat(pfd, name, 0o700) != 0 {
        guard errno == EEXIST else { throw Sys.fail("mkdir", path) }
        if let st = Sys.fstatat(pfd, name), st.st_mode & Sys.S_IFMT != Sys.S_IFDIR {
          try replace(pfd, name, comps, withDirectory: true)
          guard mkdirat(pfd, name, 0o700) == 0 else { throw Sys.fail("mkdir", path) }
        }
      }
      try applyDirectoryMetadata(entry, components: comps)
      root.markExplicit(comps.joined(separator: "/"))
    case Sys.S_IFREG:
      try writeRegular(entry, archive: a, parentFD: pfd, name: name, comps: comps, path: path)
    case Sys.S_IFLNK:
      guard let t = archive_entry_symlink(entry) else {
        throw ArchiveError.library(op: "read symlink \(path)", message: "no target")
      }
      try create(pfd, name, comps, path: path) { symlinkat(t, pfd, name) }
      try setOwnerAndTimes(entry, parentFD: pfd, name: name, path: path, chmod: false)
    case Sys.S_IFCHR, Sys.S_IFBLK, Sys.S_IFIFO:
      let dev =
        type == Sys.S_IFIFO
        ? 0
        : Sys.makedev(
          UInt32(archive_entry_rdevmajor(entry)), UInt32(archive_entry_rdevminor(entry)))
      let mode = type | (archive_entry_perm(entry) & 0o7777)
      try create(pfd, name, comps, path: path) { mknodat(pfd, name, mode, dev) }
      try setOwnerAndTimes(entry, parentFD: pfd, name: name, path: path, chmod: true)
    default:
      break  // sockets and unknown types are skipped, as Docker does
    }
  }

  /// Waits for the file writers, then sets the times of the directories created or
  /// touched, deepest first.
  func finish() throws {
    try writer?.finish()
    for d in directoryTimes.reversed() {
      guard let fd = try? root.openDirectory(d.components[...], flags: O_RDONLY, create: false)
      else { continue }
      var ts = [d.times.0, d.times.1]
      _ = futimens(fd, &ts)
      close(fd)
    }
  }

  // MARK: entry kinds

  private func applyWhiteout(
    _ entry: OpaquePointer, name: String, parent: ArraySlice<String>, path: String
  ) throws {
    if name == Self.opaqueMarker {
      let fd = try root.openDirectory(parent, flags: O_RDONLY, create: true)
      defer { close(fd) }
      guard fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) == 0 else {
        throw Sys.fail("setxattr trusted.overlay.opaque", path)
      }
      return
    }
    if name.hasPrefix(Self.whiteoutPrefix + Self.whiteoutPrefix) { return }  // other AUFS metadata
    let target = String(name.dropFirst(Self.whiteoutPrefix.count))
    guard !target.isEmpty, target != ".", target != ".." else {
      throw ArchiveError.unsafePath(path: path, reason: "is a whiteout of nothing")
    }
    let pfd = try root.directory(parent, create: true)
    let comps = Array(parent) + [target]
    try replace(pfd, target, comps)
    guard mknodat(pfd, target, Sys.S_IFCHR, Sys.makedev(0, 0)) == 0 else {
      throw Sys.fail("mknod (whiteout)", comps.joined(separator: "/"))
    }
    if options.preserveOwnership {
      _ = fchownat(
        pfd, target, owner(entry).uid, owner(entry).gid,
        AT_SYMLINK_NOFOLLOW)
    }
  }

  private func applyHardlink(
    _ entry: OpaquePointer, target: String, name: String, parentFD pfd: Int32, comps: [String],
    path: String
  ) throws {
    let tcomps: [String]
    do {
      tcomps = try Self.components(of: target)
    } catch {
      throw ArchiveError.badHardlink(
        path: path, target: target, reason: "target is absolute or contains \"..\"")
    }
    guard let tname = tcomps.last else {
      throw ArchiveError.badHardlink(path: path, target: target, reason: "target is the root")
    }
    if tcomps == comps { return }
    // The target's parent must resolve beneath the root without symlinks. Its fd is owned
    // here because resolving it may evict the cached parent of the new link.
    let tfd = try root.openDirectory(tcomps.dropLast(), flags: BERTH_O_PATH, create: false)
    defer { close(tfd) }
    guard let st = Sys.fstatat(tfd, tname) else {
      throw ArchiveError.badHardlink(
        path: path, target: target, reason: "target does not exist in this layer")
    }
    if st.st_mode & Sys.S_IFMT == Sys.S_IFDIR {
      throw ArchiveError.badHardlink(path: path, target: target, reason: "target is a directory")
    }
    let npfd = try root.openDirectory(comps.dropLast(), flags: BERTH_O_PATH, create: true)
    defer { close(npfd) }
    try create(npfd, name, comps, path: path) { linkat(tfd, tname, npfd, name, 0) }
  }

  private func writeRegular(
    _ entry: OpaquePointer, archive a: OpaquePointer?, parentFD pfd: Int32, name: String,
    comps: [String],
    path: String
  ) throws {
    var fd = Sys.retry {
      openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    }
    if fd < 0 && errno == EEXIST {
      try replace(pfd, name, comps)
      fd = Sys.retry {
        openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      }
    }
    guard fd >= 0 else { throw Sys.fail("create", path) }
    if let writer {
      try writeQueued(entry, archive: a, fd: fd, path: path, writer: writer)
      return
    }
    defer { close(fd) }
    var pos: Int64 = 0
    try forEachDataBlock(a, path: path) { buf, size, offset in
      if offset == pos {
        try Sys.writeAll(fd, buf, size, path: path)
      } else {
        try Sys.pwriteAll(fd, buf, size, offset: offset, path: path)
      }
      pos = offset + Int64(size)
    }
    try FileMetadata.apply(
      fd: fd, path: path, truncateTo: truncation(entry, dataEnd: pos),
      owner: options.preserveOwnership ? owner(entry) : nil,
      mode: archive_entry_perm(entry) & 0o7777, xattrs: xattrs(entry), times: fileTimes(entry))
  }

  /// Copies the entry's data into jobs of about 1 MiB for the writer threads, which own
  /// `fd` from here on (closed by the last job, also when this throws half-way).
  private func writeQueued(
    _ entry: OpaquePointer, archive a: OpaquePointer?, fd: Int32, path: String, writer: FileWriter
  ) throws {
    var job = FileJob(fd: fd, path: path)
    var done = false
    defer {
      if !done {
        job.isLast = true
        writer.submit(job)
      }
    }
    var pos: Int64 = 0
    try forEachDataBlock(a, path: path) { buf, size, offset in
      job.append(buf, size, offset: offset)
      pos = offset + Int64(size)
      if job.byteCount >= 1 << 20 {
        writer.submit(job)
        job = FileJob(fd: fd, path: path)
      }
    }
    job.finish = FileJob.Finish(
      truncateTo: truncation(entry, dataEnd: pos),
      owner: options.preserveOwnership ? owner(entry) : nil,
      mode: archive_entry_perm(entry) & 0o7777, xattrs: xattrs(entry), times: fileTimes(entry))
    job.isLast = true
    done = true
    writer.submit(job)
    if let e = writer.failure { throw e }
  }

  /// Calls `body` with each block of the current entry's data and its file offset.
  private func forEachDataBlock(
    _ a: OpaquePointer?, path: String, _ body: (UnsafeRawPointer, Int, Int64) throws -> Void
  ) throws {
    while true {
      var buf: UnsafeRawPointer?
      var size = 0
      var offset: la_int64_t = 0
      let r = archive_read_data_block(a, &buf, &size, &offset)
      if r == ARCHIVE_EOF { return }
      if r < ARCHIVE_WARN {
        throw ArchiveError.library(
          op: "read data of \(path)", message: DecompressingSource.message(a))
      }
      guard let buf, size > 0 else { continue }
      try body(buf, size, Int64(offset))
    }
  }

  /// The size to extend a file to when its data (a sparse tail) ends short of the header's.
  private func truncation(_ entry: OpaquePointer, dataEnd: Int64) -> Int64? {
    let declared = archive_entry_size(entry)
    return declared > dataEnd ? declared : nil
  }

  private func fileTimes(_ entry: OpaquePointer) -> [timespec]? {
    archive_entry_mtime_is_set(entry) != 0 ? Self.times(entry) : nil
  }

  private func applyDirectoryMetadata(_ entry: OpaquePointer, components: [String]) throws {
    let path = components.isEmpty ? "." : components.joined(separator: "/")
    let fd = try root.openDirectory(components[...], flags: O_RDONLY, create: false)
    defer { close(fd) }
    if options.preserveOwnership {
      guard fchown(fd, owner(entry).uid, owner(entry).gid) == 0 else {
        throw Sys.fail("chown", path)
      }
    }
    guard fchmod(fd, archive_entry_perm(entry) & 0o7777) == 0 else { throw Sys.fail("chmod", path) }
    try setXattrs(entry, fd: fd, path: path)
    if archive_entry_mtime_is_set(entry) != 0 {
      let t = Self.times(entry)
      directoryTimes.append((components, (t[0], t[1])))
    }
  }

  // MARK: helpers

  /// Runs `make` (a *at call creating `name`); if something is in the way, removes it and retries.
  private func create(
    _ pfd: Int32, _ name: String, _ comps: [String], path: String, _ make: () -> Int32
  ) throws {
    if make() == 0 { return }
    guard errno == EEXIST else { throw Sys.fail("create", path) }
    try replace(pfd, name, comps)
    guard make() == 0 else { throw Sys.fail("create", path) }
  }

  /// Removes whatever is at `name` (recursively), forgetting cached descriptors beneath it.
  private func replace(_ pfd: Int32, _ name: String, _ comps: [String], withDirectory: Bool = false) throws {
    let path = comps.joined(separator: "/")
    if options.noOverwriteDirNonDir, let st = Sys.fstatat(pfd, name),
      (st.st_mode & Sys.S_IFMT == Sys.S_IFDIR) != withDirectory
    {
      throw ArchiveError.overwrite(path: path, directory: !withDirectory)
    }
    root.invalidate(path)
    try Sys.removeAll(pfd, name, path: path)
  }

  private func setOwnerAndTimes(
    _ entry: OpaquePointer, parentFD pfd: Int32, name: String, path: String, chmod: Bool
  ) throws {
    if options.preserveOwnership {
      guard
        fchownat(
          pfd, name, owner(entry).uid, owner(entry).gid,
          AT_SYMLINK_NOFOLLOW) == 0
      else { throw Sys.fail("chown", path) }
    }
    if chmod {
      // Only for nodes we just created (never symlinks), so following is not a concern.
      guard fchmodat(pfd, name, archive_entry_perm(entry) & 0o7777, 0) == 0 else {
        throw Sys.fail("chmod", path)
      }
    }
    if archive_entry_mtime_is_set(entry) != 0 {
      var ts = Self.times(entry)
      _ = utimensat(pfd, name, &ts, AT_SYMLINK_NOFOLLOW)
    }
  }

  private func setXattrs(_ entry: OpaquePointer, fd: Int32, path: String) throws {
    for x in xattrs(entry) where fsetxattr(fd, x.name, x.value, x.value.count, 0) != 0 {
      if errno == ENOTSUP || errno == EOPNOTSUPP { continue }
      throw Sys.fail("setxattr \(x.name)", path)
    }
  }

  /// The entry's extended attributes, without overlay ones (a layer may not forge them).
  private func xattrs(_ entry: OpaquePointer) -> [(name: String, value: [UInt8])] {
    guard archive_entry_xattr_reset(entry) > 0 else { return [] }
    var out: [(name: String, value: [UInt8])] = []
    var name: UnsafePointer<CChar>?
    var value: UnsafeRawPointer?
    var size = 0
    while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
      guard let name else { continue }
      let n = String(cString: name)
      if n.hasPrefix("trusted.overlay.") { continue }
      let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
      out.append((n, bytes))
    }
    return out
  }

  /// An entry's name (or hardlink target) as the options ask to read it.
  private func entryPath(_ raw: String) -> String {
    var p = Substring(raw)
    if options.stripLeadingSlash { while p.hasPrefix("/") { p = p.dropFirst() } }
    return options.rebase?.apply(String(p)) ?? String(p)
  }

  /// The owner to give an entry: the requested one, else the header's.
  private func owner(_ entry: OpaquePointer) -> (uid: uid_t, gid: gid_t) {
    if let o = options.owner { return (o.uid, o.gid) }
    return (uid_t(archive_entry_uid(entry)), gid_t(archive_entry_gid(entry)))
  }

  private static func times(_ entry: OpaquePointer) -> [timespec] {
    let m = timespec(tv_sec: archive_entry_mtime(entry), tv_nsec: archive_entry_mtime_nsec(entry))
    let a =
      archive_entry_atime_is_set(entry) != 0
      ? timespec(tv_sec: archive_entry_atime(entry), tv_nsec: archive_entry_atime_nsec(entry)) : m
    return [a, m]
  }
}
