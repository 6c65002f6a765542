// A `docker cp` path in a container, with dockerd's rules: the path is absolute in the
// container, a trailing "/" or "/." is kept (it means "the directory" / "its contents"),
// every directory on the way is resolved inside the container root, and the last component
// is not followed (a symlink is copied as a symlink, its stat says where it points).
import EngineAPI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum ContainerPath {
  struct Found: Sendable {
    /// O_PATH descriptor of the directory holding the path (the caller closes it).
    var dirFD: Int32
    /// The name in it ("." for the directory itself).
    var name: String
    var stat: ContainerPathStat
  }

  /// Looks `path` up in the view; 404 when it (or a directory on the way) does not exist.
  static func locate(_ path: String, in view: ContainerFSView, container: String) throws -> Found {
    let abs = absolute(path)
    let (dir, base) = split(abs)
    let notFound = EngineError.notFound("Could not find the file \(path) in container \(container)")
    guard let dirFD = try InRootPath.open(view.rootFD, dir) else { throw notFound }
    let name = base.isEmpty ? "." : base
    var st = stat()
    guard fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
      let e = errno
      close(dirFD)
      if e == ENOENT || e == ENOTDIR { throw notFound }
      throw EngineError.internal("lstat \(abs) in container \(container): \(String(cString: strerror(e)))")
    }
    var linkTarget = ""
    if st.st_mode & S_IFMT == S_IFLNK {
      linkTarget = (try? resolvedLink(abs, in: view)) ?? ""
    }
    let stat = ContainerPathStat(
      name: goBase(abs), size: Int64(st.st_size), mode: ContainerPathStat.goMode(unix: st.st_mode),
      mtime: Timestamps.format(st.st_mtim), linkTarget: linkTarget)
    return Found(dirFD: dirFD, name: name, stat: stat)
  }

  /// The directory a tar is extracted into: `path` with every symlink followed inside the
  /// container. 404 when missing, 400 when not a directory, 403 when read-only.
  static func extractionPoint(
    _ path: String, in view: ContainerFSView, container: String, readonlyRootfs: Bool
  ) throws -> Int32 {
    guard let fd = try InRootPath.open(view.rootFD, absolute(path)) else {
      throw EngineError.notFound("Could not find the file \(path) in container \(container)")
    }
    var st = stat()
    var root = stat()
    var fs = statvfs()
    guard fstatat(fd, "", &st, InRootPath.atEmptyPath) == 0,
      fstatat(view.rootFD, "", &root, InRootPath.atEmptyPath) == 0,
      fstatvfs(fd, &fs) == 0
    else {
      close(fd)
      throw EngineError.internal("stat \(path) in container \(container): \(String(cString: strerror(errno)))")
    }
    guard st.st_mode & S_IFMT == S_IFDIR else {
      close(fd)
      throw EngineError.badParameter("extraction point is not a directory")
    }
    let onRoot = st.st_dev == root.st_dev
    if onRoot && readonlyRootfs {
      close(fd)
      throw EngineError.forbidden("container rootfs is marked read-only")
    }
    if fs.f_flag & UInt(ST_RDONLY) != 0 {
      close(fd)
      throw EngineError.forbidden("mounted volume is marked read-only")
    }
    return fd
  }

  /// Where the symlink at `abs` points, resolved in the container, as a container path.
  static func resolvedLink(_ abs: String, in view: ContainerFSView) throws -> String {
    let base = view.mountPoint
    var host: String
    if let fd = try InRootPath.open(view.rootFD, abs) {
      defer { close(fd) }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
      host = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    } else {
      // Dangling: resolved by name only (nothing is opened).
      host = try RootedPath.resolve(root: base, abs)
    }
    guard host == base || host.hasPrefix(base + "/") else { return "" }
    host.removeFirst(base.count)
    return clean(host.isEmpty ? "/" : host)
  }

  // MARK: Go's path rules, as dockerd applies them

  /// The path made absolute and clean, keeping a trailing "/" or "/." (archive's
  /// PreserveTrailingDotOrSeparator).
  static func absolute(_ path: String) -> String {
    var out = clean("/" + path)
    if goBase(path) == "." && goBase(out) != "." && !path.isEmpty {
      if !out.hasSuffix("/") { out += "/" }
      out += "."
    }
    if !out.hasSuffix("/") && path.hasSuffix("/") { out += "/" }
    return out
  }

  /// filepath.Clean for an absolute path.
  static func clean(_ path: String) -> String {
    var parts: [Substring] = []
    for c in path.split(separator: "/") {
      if c == "." { continue }
      if c == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(c)
    }
    return "/" + parts.joined(separator: "/")
  }

  /// filepath.Split: everything up to the last "/" (included) and the rest.
  static func split(_ path: String) -> (String, String) {
    guard let slash = path.lastIndex(of: "/") else { return ("", path) }
    return (String(path[...slash]), String(path[path.index(after: slash)...]))
  }

  /// filepath.Base: the last element, trailing slashes ignored ("/" for the root).
  static func goBase(_ path: String) -> String {
    if path.isEmpty { return "." }
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    if p == "/" { return "/" }
    if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
    return String(p)
  }
}
