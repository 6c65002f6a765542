// Resolving a path inside a container's rootfs on the host, following symlinks as the
// container would see them (an absolute link target or ".." never leaves the root).
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum RootedPath {
  /// The host path of `path` inside `root`, with every symlink on the way resolved
  /// relative to `root`. Components that do not exist are kept as they are.
  static func resolve(root: String, _ path: String) throws -> String {
    let base = root.hasSuffix("/") ? String(root.dropLast()) : root
    var resolved: [String] = []
    var pending = path.split(separator: "/").map(String.init).reversed() as [String]
    var links = 0
    while let part = pending.popLast() {
      if part == "." || part.isEmpty { continue }
      if part == ".." {
        if !resolved.isEmpty { resolved.removeLast() }
        continue
      }
      let candidate = base + "/" + (resolved + [part]).joined(separator: "/")
      var st = stat()
      guard lstat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else {
        resolved.append(part)
        continue
      }
      links += 1
      guard links <= 255 else {
        throw DaemonError.system("too many levels of symbolic links resolving \(path) in \(root)")
      }
      var buffer = [CChar](repeating: 0, count: 4097)
      let n = readlink(candidate, &buffer, 4096)
      guard n >= 0 else { throw DaemonError.system("readlink \(candidate): errno \(errno)") }
      let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if target.hasPrefix("/") { resolved = [] }
      pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
    }
    return base + "/" + resolved.joined(separator: "/")
  }

  /// The contents of `path` inside `root`, nil if it does not exist.
  static func read(root: String, _ path: String) throws -> String? {
    let host = try resolve(root: root, path)
    let fd = open(host, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    if fd < 0 {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw DaemonError.system("open \(path) in the container's rootfs: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw DaemonError.system("read \(path) in the container's rootfs: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }
      bytes += chunk[0..<n]
      if bytes.count > 16 << 20 { throw DaemonError.system("\(path) in the container's rootfs is too large") }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
