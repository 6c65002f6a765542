// `docker diff` (GET /containers/{id}/changes): the container's writable layer compared with
// its image. Walks the overlay upper directory: an overlay whiteout (char device 0:0) is a
// deletion, a path that also exists in a lower layer is a change, anything else an addition
// (with everything below a new directory). Parents of additions/deletions show as changed.
import CArchive
import EngineAPI
import LinuxOS
import Snapshots

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ContainerArea {
  public func containerChanges(id ref: String) async throws -> [FilesystemChange] {
    let record = try record(ref)
    let (upper, lowers) = try containerLayerDirectories(record.id)
    return try await BlockingPool.shared.run { try ContainerFS.changes(upper: upper, lowers: lowers) }
  }

  /// The container's writable directory and its image's layer directories (topmost first).
  func containerLayerDirectories(_ id: String) throws -> (upper: String, lowers: [String]) {
    let mounts: [SnapshotMountInfo]
    do {
      mounts = try images.snapshots.mounts(ContainerArea.snapshotKey(id)).map {
        SnapshotMountInfo(type: $0.type, source: $0.source, upper: $0.upperDirectory, lowers: $0.lowerDirectories)
      }
    } catch {
      throw EngineError.notFound("no writable layer for container \(id): \(error)")
    }
    guard let m = mounts.first else { throw EngineError.internal("no mounts for container \(id)") }
    if m.type == "bind" { return (m.source, []) }
    guard let upper = m.upper else { throw EngineError.internal("container \(id) has no writable layer") }
    return (upper, m.lowers)
  }

  struct SnapshotMountInfo {
    var type: String
    var source: String
    var upper: String?
    var lowers: [String]
  }
}

/// Filesystem walks over container layers (blocking; run on the blocking pool).
enum ContainerFS {
  enum Kind: Int {
    case modified = 0
    case added = 1
    case deleted = 2
  }

  static func changes(upper: String, lowers: [String]) throws -> [FilesystemChange] {
    var out: [String: Kind] = [:]
    try walkChanges(upper: upper, relative: "", lowers: lowers, allAdded: false, into: &out)
    // The parent of an addition or deletion is changed (as dockerd reports it).
    for (path, kind) in out where kind != .modified {
      var parent = path
      while let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
        parent = String(parent[..<slash])
        if out[parent] == nil { out[parent] = .modified }
      }
    }
    return out.sorted { $0.key < $1.key }.map { FilesystemChange(path: $0.key, kind: $0.value.rawValue) }
  }

  private static func walkChanges(
    upper: String, relative: String, lowers: [String], allAdded: Bool, into out: inout [String: Kind]
  ) throws {
    for name in try list(upper + relative) {
      let rel = relative + "/" + name
      var st = stat()
      guard lstat(upper + rel, &st) == 0 else { continue }
      let type = st.st_mode & S_IFMT
      if type == S_IFCHR && st.st_rdev == 0 {
        out[rel] = .deleted
        continue
      }
      let existed = !allAdded && existsBelow(rel, lowers: lowers)
      out[rel] = existed ? .modified : .added
      if type == S_IFDIR {
        let opaque = isOpaque(upper + rel)
        try walkChanges(
          upper: upper, relative: rel, lowers: opaque ? [] : lowers, allAdded: !existed, into: &out)
      }
    }
  }

  /// Whether `rel` is visible in the stack of lower directories (topmost first).
  static func existsBelow(_ rel: String, lowers: [String]) -> Bool {
    for lower in lowers {
      var st = stat()
      if lstat(lower + rel, &st) == 0 {
        return !((st.st_mode & S_IFMT) == S_IFCHR && st.st_rdev == 0)
      }
      // An opaque ancestor in this layer hides everything below it.
      var parent = rel
      while let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
        parent = String(parent[..<slash])
        if isOpaque(lower + parent) { return false }
      }
    }
    return false
  }

  static func isOpaque(_ path: String) -> Bool {
    var value: [UInt8] = [0, 0]
    let n = lgetxattr(path, "trusted.overlay.opaque", &value, value.count)
    return n == 1 && value[0] == 0x79
  }

  static func list(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else {
      throw EngineError.internal("opendir \(path): \(String(cString: strerror(errno)))")
    }
    defer { closedir(dir) }
    var out: [String] = []
    while let e = readdir(dir) {
      let n = withUnsafePointer(to: e.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if n != "." && n != ".." { out.append(n) }
    }
    return out.sorted()
  }

  /// Bytes used by the files below `path` (apparent sizes, hardlinks counted once), like
  /// dockerd's directory size.
  static func diskUsage(_ path: String) -> Int64 {
    var seen = Set<UInt64>()
    var total: Int64 = 0
    func walk(_ dir: String) {
      guard let names = try? list(dir) else { return }
      for name in names {
        let p = dir + "/" + name
        var st = stat()
        guard lstat(p, &st) == 0 else { continue }
        if (st.st_mode & S_IFMT) == S_IFDIR {
          walk(p)
          continue
        }
        if st.st_nlink > 1 && !seen.insert(UInt64(st.st_ino)).inserted { continue }
        total += Int64(st.st_size)
      }
    }
    walk(path)
    return total
  }
}
