import Glibc

/// The only place that touches cgroup files. Writes are `open(O_WRONLY|O_TRUNC)` + one
/// `write`, as the kernel wants each value in a single write; every call retries EINTR.
enum CgroupFS {
  /// Writes `value` to `dir/file`.
  static func write(_ dir: String, _ file: String, _ value: String) throws {
    try write(path: join(dir, file), value)
  }

  static func write(path: String, _ value: String) throws {
    let fd = retrying { open(path, O_WRONLY | O_TRUNC | O_CLOEXEC) }
    guard fd >= 0 else { throw CgroupError.write(path: path, value: value, errno: Glibc.errno) }
    defer { close(fd) }
    var bytes = Array(value.utf8)
    if bytes.isEmpty { bytes = [0x0A] }
    let count = bytes.count
    let written = bytes.withUnsafeBytes { buffer in
      retrying { Glibc.write(fd, buffer.baseAddress, count) }
    }
    guard written >= 0 else {
      throw CgroupError.write(path: path, value: value, errno: Glibc.errno)
    }
  }

  /// Reads `dir/file` whole, with trailing newlines removed.
  static func read(_ dir: String, _ file: String) throws -> String {
    try read(path: join(dir, file))
  }

  static func read(path: String) throws -> String {
    let fd = retrying { open(path, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else {
      throw CgroupError.system(operation: "open", path: path, errno: Glibc.errno)
    }
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { buffer in
        retrying { Glibc.read(fd, buffer.baseAddress, buffer.count) }
      }
      if n < 0 { throw CgroupError.system(operation: "read", path: path, errno: Glibc.errno) }
      if n == 0 { break }
      result.append(contentsOf: chunk[0..<n])
    }
    var text = String(decoding: result, as: UTF8.self)
    while text.last == "\n" { text.removeLast() }
    return text
  }

  /// Reads a file holding one unsigned number ("max" reads as nil).
  static func readUInt(_ dir: String, _ file: String) throws -> UInt64? {
    let path = join(dir, file)
    let text = try read(path: path).trimmingSpaces()
    if text == "max" { return nil }
    guard let value = UInt64(text) else { throw CgroupError.parse(path: path, content: text) }
    return value
  }

  /// Reads a flat-keyed file ("key value" per line: memory.stat, cpu.stat, memory.events).
  static func readKeyed(_ dir: String, _ file: String) throws -> [String: UInt64] {
    let text = try read(dir, file)
    var result: [String: UInt64] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      if parts.count == 2, let value = UInt64(parts[1]) { result[String(parts[0])] = value }
    }
    return result
  }

  static func exists(_ path: String) -> Bool {
    access(path, F_OK) == 0
  }

  static func exists(_ dir: String, _ file: String) -> Bool {
    exists(join(dir, file))
  }

  static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  /// Creates one directory; an existing one is fine.
  static func mkdir(_ path: String) throws {
    let result = retrying { Glibc.mkdir(path, 0o755) }
    if result != 0 && Glibc.errno != EEXIST {
      throw CgroupError.system(operation: "mkdir", path: path, errno: Glibc.errno)
    }
  }

  /// Creates a directory and every missing parent.
  static func mkdirAll(_ path: String) throws {
    // mkdir first: the parent usually exists, so one call instead of three per hierarchy.
    if retrying({ Glibc.mkdir(path, 0o755) }) == 0 { return }
    let err = Glibc.errno
    if err == EEXIST { return }
    guard err == ENOENT else { throw CgroupError.system(operation: "mkdir", path: path, errno: err) }
    let parent = dirname(path)
    if parent != path && !parent.isEmpty { try mkdirAll(parent) }
    try mkdir(path)
  }

  /// Names of the sub-directories of `path` (child cgroups).
  static func subdirectories(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else {
      throw CgroupError.system(operation: "opendir", path: path, errno: Glibc.errno)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      if entry.pointee.d_type == UInt8(DT_DIR) {
        names.append(name)
      } else if entry.pointee.d_type == UInt8(DT_UNKNOWN) && isDirectory(join(path, name)) {
        names.append(name)
      }
    }
    return names.sorted()
  }

  static func join(_ dir: String, _ name: String) -> String {
    if dir.hasSuffix("/") { return dir + name }
    return dir + "/" + name
  }

  static func dirname(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// Runs a syscall wrapper until it does not fail with EINTR.
  @inline(__always)
  static func retrying<T: BinaryInteger>(_ body: () -> T) -> T {
    while true {
      let result = body()
      if result == -1 && Glibc.errno == EINTR { continue }
      return result
    }
  }

  static func sleep(milliseconds: Int) {
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) == -1 && Glibc.errno == EINTR { request = remaining }
  }
}

extension StringProtocol {
  func trimmingSpaces() -> String {
    var scalars = Substring(self)
    while let first = scalars.first, first == " " || first == "\n" || first == "\t" {
      scalars.removeFirst()
    }
    while let last = scalars.last, last == " " || last == "\n" || last == "\t" {
      scalars.removeLast()
    }
    return String(scalars)
  }
}
