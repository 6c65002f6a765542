import Glibc

/// Whole-file helpers; metadata writes are atomic (temp → fsync → rename → fsync dir).
public enum Files {
  public static func read(_ path: String) throws -> [UInt8] {
    let fd = try FD.open(path, O_RDONLY)
    defer { FD.close(fd) }
    return try FD.readAll(fd)
  }

  /// The file's bytes, nil when it does not exist.
  public static func readIfExists(_ path: String) throws -> [UInt8]? {
    do {
      return try read(path)
    } catch let e as SystemError where e.errno == ENOENT {
      return nil
    }
  }

  public static func readString(_ path: String) throws -> String {
    String(decoding: try read(path), as: UTF8.self)
  }

  /// Writes without truncating first; used for kernel files (cgroup, /proc).
  public static func writeKernelFile(_ path: String, _ value: String) throws {
    let fd = try FD.open(path, O_WRONLY)
    defer { FD.close(fd) }
    try FD.write(fd, value)
  }

  /// Replaces `path` atomically: a crash leaves the old or the new content, never a torn file.
  /// `durable: false` skips the fsyncs, for state that does not outlive a reboot (/run).
  /// `temporary`: the file written and renamed over `path` (by default `path.tmp-<pid>`),
  /// reused when it exists (SpareDirectories can make it ahead of need: no inode is
  /// allocated on the caller's path then).
  public static func writeAtomically(
    _ path: String, _ bytes: [UInt8], mode: mode_t = 0o644, durable: Bool = true, temporary: String? = nil
  ) throws {
    let directory = parent(of: path)
    let temporary = temporary ?? "\(path).tmp-\(getpid())"
    let fd = try FD.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
    do {
      try FD.write(fd, bytes)
      if durable { try sys("fsync", temporary) { fsync(fd) } }
    } catch {
      FD.close(fd)
      unlink(temporary)
      throw error
    }
    FD.close(fd)
    try sys("rename", "\(temporary) → \(path)") { rename(temporary, path) }
    guard durable else { return }
    let dirfd = try FD.open(directory, O_RDONLY | O_DIRECTORY)
    defer { FD.close(dirfd) }
    try sys("fsync", directory) { fsync(dirfd) }
  }

  /// A temporary name beside `path` of its own, for writers that may write one path from
  /// several threads at once.
  public static func uniqueTemporary(for path: String) -> String {
    "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  }

  public static func exists(_ path: String) -> Bool {
    access(path, F_OK) == 0
  }

  public static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  /// mkdir -p.
  public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
    if isDirectory(path) { return }
    let up = parent(of: path)
    if up != path { try makeDirectories(up, mode: mode) }
    if mkdir(path, mode) != 0 && Glibc.errno != EEXIST {
      throw SystemError("mkdir", errno: Glibc.errno, path)
    }
  }

  /// rm -rf that never follows symlinks.
  /// `stayingOn`: a device; what lies on another filesystem (a mount below `path`) is left
  /// alone, and so is the directory holding it (its rmdir fails).
  public static func removeTree(_ path: String, stayingOn device: dev_t? = nil) throws {
    var st = stat()
    if lstat(path, &st) != 0 {
      if Glibc.errno == ENOENT { return }
      throw SystemError("lstat", errno: Glibc.errno, path)
    }
    if let device, st.st_dev != device { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      for name in try list(path) { try removeTree("\(path)/\(name)", stayingOn: device) }
      try sys("rmdir", path) { rmdir(path) }
    } else {
      try sys("unlink", path) { unlink(path) }
    }
  }

  public static func list(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else { throw SystemError("opendir", errno: Glibc.errno, path) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// The target of the symlink at `path` (for `/proc/self/fd/N`: the path of what fd N opened).
  public static func readLink(_ path: String) throws -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(path, &buffer, buffer.count - 1)
    guard n >= 0 else { throw SystemError("readlink", errno: Glibc.errno, path) }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  public static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }
}
