// Opening a path inside a container's root as the container would see it, race-free: every
// symlink (absolute or with "..") resolves against the root and can never leave it, even if
// it is swapped while we look. openat2(RESOLVE_IN_ROOT) does this in the kernel; without it
// (before Linux 5.6) a walk of openat(O_NOFOLLOW) over descriptors does the same.
import CArchive
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum InRootPath {
  // RESOLVE_NO_MAGICLINKS 0x02, RESOLVE_IN_ROOT 0x10
  static let resolveFlags: UInt64 = 0x02 | 0x10
  /// Cleared for good the first time the kernel answers that it has no openat2.
  static let openat2Works = Atomic<Bool>(true)
  /// AT_EMPTY_PATH (needs _GNU_SOURCE, which Swift's Glibc module does not define).
  static let atEmptyPath: Int32 = 0x1000

  /// An O_PATH descriptor (the caller closes it) of `path` below `rootFD`, with every
  /// symlink followed inside the root; nil when a component does not exist or is not a
  /// directory.
  static func open(_ rootFD: Int32, _ path: String) throws -> Int32? {
    let relative = path.split(separator: "/").joined(separator: "/")
    let target = relative.isEmpty ? "." : relative
    if openat2Works.load(ordering: .relaxed) {
      let fd = retry { berth_archive_openat2(rootFD, target, BERTH_O_PATH | O_CLOEXEC, resolveFlags) }
      if fd >= 0 { return fd }
      switch errno {
      case ENOENT, ENOTDIR: return nil
      case ENOSYS, EPERM: openat2Works.store(false, ordering: .relaxed)
      default: throw failure("openat2", path)
      }
    }
    return try walk(rootFD, path)
  }

  /// The same resolution in user space: a stack of open directories ("..": pop, never
  /// above the root), each component opened O_NOFOLLOW relative to the one before it.
  static func walk(_ rootFD: Int32, _ path: String) throws -> Int32? {
    let root = retry { openat(rootFD, ".", BERTH_O_PATH | O_DIRECTORY | O_CLOEXEC) }
    guard root >= 0 else { throw failure("open", "/") }
    var stack: [Int32] = [root]
    defer { for fd in stack { close(fd) } }
    var pending = path.split(separator: "/").map(String.init).reversed() as [String]
    var links = 0
    while let part = pending.popLast() {
      if part == "." { continue }
      if part == ".." {
        if stack.count > 1, let fd = stack.popLast() { close(fd) }
        continue
      }
      guard let parent = stack.last else { return nil }
      var st = stat()
      guard fstatat(parent, ".", &st, 0) == 0, st.st_mode & S_IFMT == S_IFDIR else { return nil }
      let fd = retry { openat(parent, part, BERTH_O_PATH | O_NOFOLLOW | O_CLOEXEC) }
      if fd < 0 {
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw failure("open", path)
      }
      guard fstatat(fd, "", &st, atEmptyPath) == 0 else {
        close(fd)
        throw failure("stat", path)
      }
      guard st.st_mode & S_IFMT == S_IFLNK else {
        stack.append(fd)
        continue
      }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlinkat(fd, "", &buffer, buffer.count - 1)
      close(fd)
      guard n >= 0 else { throw failure("readlink", path) }
      links += 1
      guard links <= 40 else { throw DaemonError.system("too many levels of symbolic links in \(path)") }
      let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if target.hasPrefix("/") {
        while stack.count > 1, let top = stack.popLast() { close(top) }
      }
      pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
    }
    guard let last = stack.popLast() else { return nil }
    return last
  }

  /// Like `open`, making the missing directories of `path` on the way (0755, as dockerd
  /// makes a volume's mount point); nil when a component exists and is not a directory.
  static func makeDirectories(_ rootFD: Int32, _ path: String) throws -> Int32? {
    let parts = path.split(separator: "/").map(String.init)
    for i in parts.indices {
      let prefix = parts[...i].joined(separator: "/")
      if let fd = try open(rootFD, prefix) {
        if i == parts.count - 1 { return fd }
        close(fd)
        continue
      }
      guard let parent = try open(rootFD, parts[..<i].joined(separator: "/")) else { return nil }
      let made = mkdirat(parent, parts[i], 0o755)
      let err = errno
      close(parent)
      guard made == 0 || err == EEXIST else {
        if err == ENOTDIR { return nil }
        errno = err
        throw failure("mkdir", "/" + prefix)
      }
    }
    return try open(rootFD, path)
  }

  private static func retry(_ body: () -> Int32) -> Int32 {
    while true {
      let r = body()
      if r >= 0 || errno != EINTR { return r }
    }
  }

  private static func failure(_ op: String, _ path: String) -> DaemonError {
    DaemonError.system("\(op) \(path) in the container: \(String(cString: strerror(errno)))")
  }
}
