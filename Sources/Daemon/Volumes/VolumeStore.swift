// Local-driver volumes: <data-root>/volumes/<name>/_data, with the metadata in
// <data-root>/volumes/<name>/volume.json (written atomically). Anonymous volumes have
// 64-hex names and remember the container (and path) they were made for.
import FoundationEssentials
import LinuxOS
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public struct VolumeRecord: Codable, Sendable, Equatable {
  public var name: String
  public var createdAt: String
  public var labels: [String: String] = [:]
  public var options: [String: String] = [:]
  /// For an anonymous volume: the container and the path it was made for.
  public var ownerContainer: String?
  public var ownerDestination: String?

  public var isAnonymous: Bool { ownerContainer != nil }
}

public final class VolumeStore: Sendable {
  public let root: String
  let records: Mutex<[String: VolumeRecord]>
  static let metadataFile = "volume.json"
  static let anonymousLabel = "com.docker.volume.anonymous"

  public init(root: String) throws {
    self.root = root
    try Files.makeDirectories(root, mode: 0o701)
    var loaded: [String: VolumeRecord] = [:]
    for name in try Files.list(root) {
      let path = "\(root)/\(name)/\(Self.metadataFile)"
      guard Files.exists(path) else {
        do {
          try Files.removeTree("\(root)/\(name)")  // a crash during create
        } catch {
          DaemonLog.engine.warning("removing the unfinished volume directory \(name): \(error)")
        }
        continue
      }
      do {
        let record = try JSONDecoder().decode(VolumeRecord.self, from: Data(try Files.read(path)))
        guard record.name == name else { throw DaemonError.system("it names volume \(record.name)") }
        loaded[name] = record
      } catch {
        DaemonLog.engine.error("volume \(name): its metadata \(path) cannot be read, leaving it out: \(error)")
      }
    }
    records = Mutex(loaded)
  }

  public func directory(_ name: String) -> String { "\(root)/\(name)" }
  public func dataPath(_ name: String) -> String { "\(root)/\(name)/_data" }

  public func all() -> [VolumeRecord] { records.withLock { Array($0.values) }.sorted { $0.name < $1.name } }

  public func get(_ name: String) throws -> VolumeRecord {
    guard let r = records.withLock({ $0[name] }) else { throw DaemonError.notFound("get \(name): no such volume") }
    return r
  }

  /// Creates the volume, or returns the existing one of that name (as dockerd does).
  @discardableResult
  public func create(
    name: String?, labels: [String: String] = [:], options: [String: String] = [:], owner: String? = nil,
    destination: String? = nil
  ) throws -> (record: VolumeRecord, created: Bool) {
    let name = name.flatMap { $0.isEmpty ? nil : $0 } ?? Self.newName()
    guard BindSpec.isVolumeName(name) else {
      throw DaemonError.invalid(
        "create \(name): \"\(name)\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
      )
    }
    return try records.withLock { records in
      if let existing = records[name] { return (existing, false) }
      var labels = labels
      if owner != nil { labels[Self.anonymousLabel] = "" }
      let record = VolumeRecord(
        name: name, createdAt: Timestamps.now(), labels: labels, options: options, ownerContainer: owner,
        ownerDestination: destination)
      let dir = directory(name)
      try Files.makeDirectories(dir + "/_data", mode: 0o755)
      try Files.writeAtomically(
        dir + "/" + Self.metadataFile, Array(try JSONEncoder().encode(record)), mode: 0o600)
      records[name] = record
      return (record, true)
    }
  }

  /// The anonymous volume made for `container` at `destination`, if any.
  public func anonymous(of container: String, at destination: String) -> VolumeRecord? {
    records.withLock { $0.values.first { $0.ownerContainer == container && $0.ownerDestination == destination } }
  }

  public func anonymousVolumes(of container: String) -> [VolumeRecord] {
    records.withLock { $0.values.filter { $0.ownerContainer == container } }
  }

  public func remove(_ name: String) throws {
    _ = try get(name)
    try Files.removeTree(directory(name))
    records.withLock { _ = $0.removeValue(forKey: name) }
  }

  /// Bytes used under the volume's _data (best effort).
  public func size(_ name: String) -> Int64 { Self.treeSize(dataPath(name)) }

  static func treeSize(_ path: String) -> Int64 {
    var st = stat()
    guard lstat(path, &st) == 0 else { return 0 }
    var total = Int64(st.st_blocks) * 512
    if (st.st_mode & S_IFMT) == S_IFDIR {
      for e in (try? Files.list(path)) ?? [] { total += treeSize(path + "/" + e) }
    }
    return total
  }

  static func newName() -> String {
    var bytes = [UInt8](repeating: 0, count: 32)
    let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
      _ = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 32) }
      close(fd)
    } else {
      for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
    }
    return bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }

  /// Docker's copy-up: an empty volume gets the image's content at the mount path.
  /// `path` is resolved inside `rootfs` (symlinks stay in the container's filesystem).
  static func copyUp(rootfs: String, path: String, to data: String) {
    guard let source = try? RootedPath.resolve(root: rootfs, path) else { return }
    var st = stat()
    guard lstat(source, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return }
    guard let inVolume = try? Files.list(data), inVolume.isEmpty else { return }
    guard let entries = try? Files.list(source), !entries.isEmpty else { return }
    _ = try? Processes.run("/bin/cp", ["cp", "-a", source + "/.", data + "/"], environment: [])
  }
}
