// File helpers: atomic writes (temp → fsync → rename → fsync dir), whole-file reads.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

struct SystemError: Error, CustomStringConvertible {
  var op: String
  var path: String
  var errno: Int32
  var description: String { "\(op) \(path): \(String(cString: strerror(errno))) (errno \(errno))" }
}

enum Files {
  static func fail(_ op: String, _ path: String) -> SystemError {
    SystemError(op: op, path: path, errno: errno)
  }

  static func mkdirs(_ path: String, mode: mode_t = 0o755) throws {
    var cur = path.hasPrefix("/") ? "" : "."
    for c in path.split(separator: "/") {
      cur += "/" + c
      if mkdir(cur, mode) != 0 && errno != EEXIST { throw fail("mkdir", cur) }
    }
  }

  static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
    guard var p = bytes.baseAddress else { return }
    var left = bytes.count
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

  static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
    let tmp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw fail("create", tmp) }
    var ok = false
    defer {
      close(fd)
      if !ok { unlink(tmp) }
    }
    try bytes.withUnsafeBytes { try writeAll(fd, $0, path: tmp) }
    guard fsync(fd) == 0 else { throw fail("fsync", tmp) }
    guard rename(tmp, path) == 0 else { throw fail("rename", path) }
    ok = true
    fsyncDirectory(of: path)
  }

  static func fsyncDirectory(of path: String) {
    let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  static func readIfExists(_ path: String) throws -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw fail("open", path)
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw fail("read", path)
      }
      if n == 0 { return out }
      out += buf[0..<n]
    }
  }

  static func openRead(_ path: String) throws -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw fail("open", path) }
    return fd
  }
}
