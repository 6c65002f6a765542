// Overlay snapshotter (the shape of containerd's): snapshots are directories
// <root>/snapshots/<id>/{fs,work}; prepare/view/commit/remove only change metadata and
// directories and return mount descriptions; nothing here mounts.
import FoundationEssentials
import LinuxOS
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public final class OverlaySnapshotter: Sendable {
  public let root: String
  let statePath: String
  let state: Mutex<SnapshotState>
  /// Removed snapshots' directories, deleted in the background (<root>/trash).
  public let trash: TrashBin
  /// Active snapshot directories (with `fs` and `work`) made ahead of need (<root>/spares).
  let spares: SpareDirectories

  /// Opens (creating) a snapshotter at `root`; removes directories a crash left without
  /// metadata, and active snapshots whose directory a crash took (a non-durable removal
  /// whose metadata change was lost): nothing can mount them any more.
  public init(root: String) throws {
    self.root = root
    self.statePath = root + "/metadata.json"
    try Self.mkdirs(root + "/snapshots")
    var s = try SnapshotState.load(statePath)
    let lost = s.snapshots.values.filter { info in
      info.kind == .active && !s.snapshots.values.contains { $0.parent == info.key }
        && !Self.isDirectory("\(root)/snapshots/\(info.id)/fs")
    }
    if !lost.isEmpty {
      for info in lost { s.snapshots[info.key] = nil }
      try s.save(statePath, temporary: statePath + Self.nextSuffix)
    }
    self.state = Mutex(s)
    trash = try TrashBin(path: root + "/trash")
    spares = try SpareDirectories(
      path: root + "/spares", mode: 0o755, subdirectories: [("fs", 0o755), ("work", 0o700)])
    makeSpareStateFile()
    let known = Set(s.snapshots.values.map { String($0.id) })
    for name in Self.list(root + "/snapshots") where !known.contains(name) {
      Self.removeTree(root + "/snapshots/" + name)
    }
  }

  /// The metadata's next version is written to <root>/metadata.json.next, which a thread
  /// makes again after each save: the save then allocates no inode (see SpareDirectories).
  static let nextSuffix = ".next"

  /// Writes the metadata (callers hold the state lock, so saves never overlap).
  func persist(_ s: SnapshotState, durable: Bool = true) throws {
    try s.save(statePath, durable: durable, temporary: statePath + Self.nextSuffix)
    makeSpareStateFile()
  }

  /// Makes <root>/metadata.json.next on a thread, unless it exists.
  func makeSpareStateFile() {
    let spare = statePath + Self.nextSuffix
    Threads.detach {
      let fd = open(spare, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      if fd >= 0 { close(fd) }
    }
  }

  static func isDirectory(_ path: String) -> Bool {
    var st = Glibc.stat()
    return lstat(path, &st) == 0 && st.st_mode & 0o170000 == 0o040000
  }

  func dir(_ id: Int) -> String { "\(root)/snapshots/\(id)" }

  /// Creates an active (writable) snapshot on top of the committed `parent`.
  ///
  /// `durable: false` skips the fsyncs of the metadata (it is still replaced atomically):
  /// for a snapshot nothing needs after a machine crash, such as the rootfs of a container
  /// that is removed when it exits. Whether a power loss then keeps it or not, the next
  /// open is consistent (`init` drops what lost its directory, and directories without
  /// metadata).
  public func prepare(
    _ key: String, parent: String? = nil, labels: [String: String]? = nil, durable: Bool = true
  ) throws -> [SnapshotMount] {
    try create(key, parent: parent, kind: .active, labels: labels, durable: durable)
  }

  /// Creates a read-only view of the committed `parent`.
  public func view(_ key: String, parent: String? = nil, labels: [String: String]? = nil) throws
    -> [SnapshotMount]
  {
    try create(key, parent: parent, kind: .view, labels: labels)
  }

  /// The mounts of an existing active snapshot or view.
  public func mounts(_ key: String) throws -> [SnapshotMount] {
    try state.withLock { s in
      guard let info = s.snapshots[key] else { throw SnapshotError.notFound(key) }
      return try mounts(info, in: s)
    }
  }

  /// Turns the active snapshot `key` into the committed snapshot `name`. `parent` (a
  /// committed snapshot) places a snapshot prepared without one on top of it: a layer
  /// unpacked on its own, at the same time as the layers below (its files never depend
  /// on theirs).
  public func commit(_ name: String, key: String, labels: [String: String]? = nil, parent: String? = nil)
    throws
  {
    let workDir: String = try state.withLock { s in
      guard var info = s.snapshots[key] else { throw SnapshotError.notFound(key) }
      guard info.kind == .active else { throw SnapshotError.notActive(key) }
      guard s.snapshots[name] == nil else { throw SnapshotError.alreadyExists(name) }
      if let parent {
        guard info.parent == nil, !s.snapshots.values.contains(where: { $0.parent == key }) else {
          throw SnapshotError.parentNotCommitted(key: key, parent: parent)
        }
        guard s.snapshots[parent]?.kind == .committed else {
          throw SnapshotError.parentNotCommitted(key: key, parent: parent)
        }
        info.parent = parent
      }
      var next = s
      next.snapshots[key] = nil
      info.key = name
      info.kind = .committed
      if let labels { info.labels = labels }
      next.snapshots[name] = info
      try persist(next)
      s = next
      return dir(info.id) + "/work"
    }
    Self.removeTree(workDir)
  }

  /// Removes a snapshot that no other snapshot depends on; `durable` as for `prepare`.
  public func remove(_ key: String, durable: Bool = true) throws {
    let d: String = try state.withLock { s in
      guard let info = s.snapshots[key] else { throw SnapshotError.notFound(key) }
      let children = s.snapshots.values.filter { $0.parent == key }.map(\.key).sorted()
      guard children.isEmpty else { throw SnapshotError.hasChildren(key, children: children) }
      var next = s
      next.snapshots[key] = nil
      try persist(next, durable: durable)
      s = next
      return dir(info.id)
    }
    // Gone from the metadata first: a crash before the rename leaves a directory that
    // opening removes (above), never metadata without its directory's content.
    try trash.discard(d)
  }

  public func stat(_ key: String) -> SnapshotInfo? {
    state.withLock { $0.snapshots[key] }
  }

  public func list() -> [SnapshotInfo] {
    state.withLock { Array($0.snapshots.values) }.sorted { $0.key < $1.key }
  }

  /// The directory holding a snapshot's files: the upper dir of an active snapshot (where a
  /// layer is applied), the content of a committed one.
  public func filesystemDirectory(_ key: String) throws -> String {
    try state.withLock { s in
      guard let info = s.snapshots[key] else { throw SnapshotError.notFound(key) }
      return dir(info.id) + "/fs"
    }
  }

  /// Committed snapshots from `key`'s parent to the base, nearest first.
  public func ancestors(_ key: String) -> [String] {
    state.withLock { s in
      var out: [String] = []
      var cur = s.snapshots[key]?.parent
      while let p = cur, let info = s.snapshots[p] {
        out.append(p)
        cur = info.parent
      }
      return out
    }
  }

  // MARK: internals

  private func create(
    _ key: String, parent: String?, kind: SnapshotInfo.Kind, labels: [String: String]?, durable: Bool = true
  ) throws
    -> [SnapshotMount]
  {
    try state.withLock { s in
      guard s.snapshots[key] == nil else { throw SnapshotError.alreadyExists(key) }
      if let parent {
        guard s.snapshots[parent]?.kind == .committed else {
          throw SnapshotError.parentNotCommitted(key: key, parent: parent)
        }
      }
      var next = s
      let id = next.nextID
      next.nextID += 1
      let d = dir(id)
      if !(kind == .active && spares.take(as: d)) {
        try Self.mkdirs(d + "/fs", mode: 0o755)
        if kind == .active { try Self.mkdirs(d + "/work", mode: 0o700) }
      }
      let info = SnapshotInfo(
        key: key, kind: kind, parent: parent, id: id, created: Int64(time(nil)), labels: labels)
      next.snapshots[key] = info
      do {
        try persist(next, durable: durable)
      } catch {
        Self.removeTree(d)
        throw error
      }
      s = next
      return try mounts(info, in: s)
    }
  }

  private func mounts(_ info: SnapshotInfo, in s: SnapshotState) throws -> [SnapshotMount] {
    var lowers: [String] = []
    var cur = info.parent
    while let p = cur {
      guard let pi = s.snapshots[p] else { throw SnapshotError.notFound(p) }
      lowers.append(dir(pi.id) + "/fs")
      cur = pi.parent
    }
    let fs = dir(info.id) + "/fs"
    switch info.kind {
    case .active:
      if lowers.isEmpty {
        return [SnapshotMount(type: "bind", source: fs, options: ["rbind", "rw"])]
      }
      return [
        SnapshotMount(
          type: "overlay", source: "overlay",
          options: [
            "index=off", "lowerdir=" + lowers.joined(separator: ":"), "upperdir=" + fs,
            "workdir=" + dir(info.id) + "/work",
          ])
      ]
    case .view, .committed:
      if lowers.isEmpty {
        return [SnapshotMount(type: "bind", source: fs, options: ["rbind", "ro"])]
      }
      if info.kind == .committed { lowers.insert(fs, at: 0) }
      if lowers.count == 1 {
        return [SnapshotMount(type: "bind", source: lowers[0], options: ["rbind", "ro"])]
      }
      return [
        SnapshotMount(
          type: "overlay", source: "overlay",
          options: ["ro", "index=off", "lowerdir=" + lowers.joined(separator: ":")])
      ]
    }
  }

  static func mkdirs(_ path: String, mode: mode_t = 0o755) throws {
    var cur = ""
    for c in path.split(separator: "/") {
      cur += "/" + c
      if mkdir(cur, mode) != 0 && errno != EEXIST {
        throw SnapshotError.system(op: "mkdir", path: cur, errno: errno)
      }
    }
  }

  static func list(_ path: String) -> [String] {
    guard let d = opendir(path) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let e = readdir(d) {
      let n = withUnsafePointer(to: e.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if n != "." && n != ".." { out.append(n) }
    }
    return out
  }

  /// Removes a tree without following symlinks (best effort).
  static func removeTree(_ path: String) {
    var st = Glibc.stat()
    guard lstat(path, &st) == 0 else { return }
    if st.st_mode & 0o170000 == 0o040000 {
      for n in list(path) { removeTree(path + "/" + n) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}
