// The snapshotter's metadata: which snapshot exists, its kind, parent and directory id.
// Stored as one JSON file, rewritten atomically (temp → fsync → rename → fsync dir).
import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public struct SnapshotInfo: Codable, Sendable, Hashable {
  public enum Kind: String, Codable, Sendable {
    case active, view, committed
  }
  public var key: String
  public var kind: Kind
  public var parent: String?
  public var id: Int
  public var created: Int64
  public var labels: [String: String]?
}

struct SnapshotState: Codable {
  var nextID: Int = 1
  var snapshots: [String: SnapshotInfo] = [:]

  static func load(_ path: String) throws -> SnapshotState {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return SnapshotState() }
      throw SnapshotError.system(op: "open", path: path, errno: errno)
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw SnapshotError.system(op: "read", path: path, errno: errno)
      }
      if n == 0 { break }
      bytes += buf[0..<n]
    }
    do {
      return try JSONDecoder().decode(SnapshotState.self, from: Data(bytes))
    } catch {
      throw SnapshotError.corruptState(path: path, reason: "\(error)")
    }
  }

  /// `temporary`: see `AtomicFile.write`.
  func save(_ path: String, durable: Bool = true, temporary: String? = nil) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .prettyPrinted]
    let data = try enc.encode(self)
    try AtomicFile.write(Array(data), to: path, durable: durable, temporary: temporary)
  }
}

enum AtomicFile {
  /// Writes `bytes` to `path` so that a crash leaves either the old or the new file.
  /// `durable: false` skips both fsyncs: a process crash still sees old or new, a power
  /// loss may undo the change.
  /// `temporary`: the file to write and rename (reused when it exists; callers that give
  /// one must not write concurrently), else a fresh uniquely named one.
  static func write(_ bytes: [UInt8], to path: String, durable: Bool = true, temporary: String? = nil) throws {
    let tmp = temporary ?? path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC | (temporary == nil ? O_EXCL : O_TRUNC), 0o644)
    guard fd >= 0 else { throw SnapshotError.system(op: "create", path: tmp, errno: errno) }
    var ok = false
    defer {
      close(fd)
      if !ok { unlink(tmp) }
    }
    var off = 0
    while off < bytes.count {
      let n = bytes.withUnsafeBytes { p in
        Glibc.write(fd, p.baseAddress.map { $0 + off }, bytes.count - off)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw SnapshotError.system(op: "write", path: tmp, errno: errno)
      }
      off += n
    }
    guard !durable || fsync(fd) == 0 else { throw SnapshotError.system(op: "fsync", path: tmp, errno: errno) }
    guard rename(tmp, path) == 0 else {
      throw SnapshotError.system(op: "rename", path: path, errno: errno)
    }
    ok = true
    guard durable else { return }
    let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(
      separator: "/")
    let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 {
      fsync(dfd)
      close(dfd)
    }
  }
}
