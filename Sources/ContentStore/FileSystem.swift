// Small helpers over raw file descriptors, each call retried on EINTR.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum FS {
  static func fail(_ op: String, _ path: String) -> ContentStoreError {
    .system(op: op, path: path, errno: errno)
  }

  static func mkdirAll(_ path: String, mode: mode_t = 0o755) throws {
    var cur = path.hasPrefix("/") ? "" : "."
    for comp in path.split(separator: "/") {
      cur += "/" + comp
      if mkdir(cur, mode) != 0 && errno != EEXIST { throw fail("mkdir", cur) }
    }
  }

  static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws -> Int32 {
    while true {
      let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
      if fd >= 0 { return fd }
      if errno != EINTR { throw fail("open", path) }
    }
  }

  static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer, path: String) throws {
    guard var p = buf.baseAddress else { return }
    var left = buf.count
    while left > 0 {
      let n = Glibc.write(fd, p, left)
      if n < 0 {
        if errno == EINTR { continue }
        throw fail("write", path)
      }
      p += n
      left -= n
    }
  }

  /// Reads up to `buf.count` bytes; 0 at end of file.
  static func read(_ fd: Int32, _ buf: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
    while true {
      let n = Glibc.read(fd, buf.baseAddress, buf.count)
      if n >= 0 { return n }
      if errno != EINTR { throw fail("read", path) }
    }
  }

  static func fsync(_ fd: Int32, path: String) throws {
    while Glibc.fsync(fd) != 0 {
      if errno != EINTR { throw fail("fsync", path) }
    }
  }

  static func fsyncDirectory(_ path: String) throws {
    let fd = try open(path, O_RDONLY | O_DIRECTORY)
    defer { close(fd) }
    try fsync(fd, path: path)
  }

  static func status(_ path: String) -> stat? {
    var st = Glibc.stat.init()
    return lstat(path, &st) == 0 ? st : nil
  }

  static func listDirectory(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else {
      if errno == ENOENT { return [] }
      throw fail("opendir", path)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let ent = readdir(dir) {
      let name = withUnsafePointer(to: ent.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// Reads a whole file.
  static func readFile(_ path: String) throws -> [UInt8] {
    let fd = try open(path, O_RDONLY)
    defer { close(fd) }
    var st = Glibc.stat.init()
    guard fstat(fd, &st) == 0 else { throw fail("fstat", path) }
    var out = [UInt8](repeating: 0, count: Int(st.st_size))
    var off = 0
    while off < out.count {
      let n = try out.withUnsafeMutableBytes { (p) throws -> Int in
        try read(fd, UnsafeMutableRawBufferPointer(rebasing: p[off...]), path: path)
      }
      if n == 0 { break }
      off += n
    }
    if off < out.count { out.removeLast(out.count - off) }
    return out
  }
}
