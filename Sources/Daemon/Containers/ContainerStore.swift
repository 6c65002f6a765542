// Container records on disk (<root>/<id>/config.v2.json), names and id lookup.
// Every write is atomic (temp → fsync → rename → fsync dir); names are unique.
import FoundationEssentials
import LinuxOS
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public final class ContainerStore: Sendable {
  public let root: String
  let records: Mutex<[String: ContainerRecord]>
  static let recordFile = "config.v2.json"
  /// The record's next version is written here, then renamed over it; a spare container
  /// directory comes with it already made.
  static let nextSuffix = ".next"
  /// Removed containers' directories, deleted in the background (<root>/.trash).
  public let trash: TrashBin
  /// Container directories made ahead of need (<root>/.spares).
  let spares: SpareDirectories

  /// Opens (creating) the store and loads every record; a directory without a readable
  /// record (a crash during create) is removed.
  public init(root: String) throws {
    self.root = root
    try Files.makeDirectories(root, mode: 0o710)
    var loaded: [String: ContainerRecord] = [:]
    for id in try Files.list(root) where Self.isID(id) {
      let path = "\(root)/\(id)/\(Self.recordFile)"
      guard Files.exists(path) else {
        // A crash during create: the directory was taken, the record never written.
        do {
          try Files.removeTree("\(root)/\(id)")
        } catch {
          DaemonLog.engine.warning("removing the unfinished container directory \(id): \(error)")
        }
        continue
      }
      do {
        let record = try JSONDecoder().decode(ContainerRecord.self, from: Data(try Files.read(path)))
        guard record.id == id else { throw DaemonError.system("it names container \(record.id)") }
        loaded[id] = record
      } catch {
        // Kept on disk for a person to look at; the container is not listed.
        DaemonLog.engine.error("container \(id): its record \(path) cannot be read, leaving it out: \(error)")
      }
    }
    records = Mutex(loaded)
    trash = try TrashBin(path: root + "/.trash")
    spares = try SpareDirectories(
      path: root + "/.spares", mode: 0o710, files: [(Self.recordFile + Self.nextSuffix, 0o600)])
  }

  public func directory(_ id: String) -> String { "\(root)/\(id)" }

  public static func isID(_ s: String) -> Bool {
    s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
  }

  static func newID() -> String {
    var out = ""
    for _ in 0..<4 {
      let v = UInt64.random(in: 0...UInt64.max)
      let hex = String(v, radix: 16)
      out += String(repeating: "0", count: 16 - hex.count) + hex
    }
    return out
  }

  static func validName(_ name: String) -> Bool {
    let n = name.hasPrefix("/") ? name.dropFirst() : Substring(name)
    // dockerd's pattern needs two characters; Berth also takes one ("m"), as the issue's
    // walkthrough uses `--name m`.
    guard let first = n.unicodeScalars.first else { return false }
    func alnum(_ c: Unicode.Scalar) -> Bool {
      c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c))
    }
    return alnum(first) && n.unicodeScalars.dropFirst().allSatisfy { alnum($0) || "_.-".unicodeScalars.contains($0) }
  }

  /// Creates a record with a fresh id and the given (or a generated) name; `make` fills in
  /// the record for the id and "/name" chosen. The directory exists when `make` runs.
  /// `persist: false` keeps the record in memory until its next persisted update (a `--rm`
  /// container's start): one that is never started does not outlive berthd, as dockerd
  /// removes such a container when it restarts anyway.
  public func create(
    name: String?, persist: Bool = true, _ make: (_ id: String, _ name: String) throws -> ContainerRecord
  ) throws -> ContainerRecord {
    if let name, !name.isEmpty, !Self.validName(name) {
      throw DaemonError.invalid("Invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
    }
    // Reserve id and name under the lock, then write outside it.
    let reserved: (String, String) = try records.withLock { all in
      var id = Self.newID()
      while all[id] != nil || all.values.contains(where: { $0.id.hasPrefix(String(id.prefix(12))) }) {
        id = Self.newID()
      }
      var full: String
      if let name, !name.isEmpty {
        full = name.hasPrefix("/") ? name : "/" + name
        if let other = all.values.first(where: { $0.name == full }) {
          throw DaemonError.conflict(
            "Conflict. The container name \"\(full)\" is already in use by container \"\(other.id)\". "
              + "You have to remove (or rename) that container to be able to reuse that name.")
        }
      } else {
        var retry = 0
        repeat {
          full = "/" + NameGenerator.random(retry: retry)
          retry += 1
        } while all.values.contains(where: { $0.name == full })
      }
      // A placeholder keeps the name and id taken while the record is written.
      all[id] = ContainerRecord(
        id: id, name: full, created: Timestamps.zero, imageID: "", imageName: "", imageChainID: nil,
        settings: ContainerSettings())
      return (id, full)
    }
    let (id, full) = reserved
    do {
      if !spares.take(as: directory(id)) { try Files.makeDirectories(directory(id), mode: 0o710) }
      let record = try make(id, full)
      if persist { try write(record) }
      records.withLock { $0[id] = record }
      return record
    } catch {
      records.withLock { $0[id] = nil }
      try? Files.removeTree(directory(id))
      throw error
    }
  }

  /// Writes the record atomically and updates the in-memory copy.
  public func save(_ record: ContainerRecord) throws {
    try write(record)
    records.withLock { $0[record.id] = record }
  }

  /// Applies `change` to the current record of `id`, saves it and returns it. With
  /// `persist: false` only the in-memory record changes (a state about to be removed).
  @discardableResult
  public func update(_ id: String, persist: Bool = true, _ change: (inout ContainerRecord) throws -> Void) throws
    -> ContainerRecord
  {
    guard var record = records.withLock({ $0[id] }) else { throw DaemonError.noSuchContainer(id) }
    try change(&record)
    if persist {
      try save(record)
    } else {
      records.withLock { $0[id] = record }
    }
    return record
  }

  /// The record of a `--rm` (AutoRemove) container is not fsynced: such a container does
  /// not outlive a machine crash anyway (restore removes it), and the fsyncs were a large
  /// part of a `run --rm`. It is still replaced atomically, so a killed berthd finds it.
  func write(_ record: ContainerRecord) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    let bytes = Array(try enc.encode(record))
    let path = "\(directory(record.id))/\(Self.recordFile)"
    try Files.writeAtomically(
      path, bytes, mode: 0o600, durable: !record.settings.autoRemove, temporary: path + Self.nextSuffix)
  }

  /// By full id, by name ("x" or "/x"), or by a unique id prefix — Docker's order.
  public func get(_ ref: String) throws -> ContainerRecord {
    try records.withLock { all in
      let all = all.filter { $0.value.created != Timestamps.zero }
      if let r = all[ref] { return r }
      let name = ref.hasPrefix("/") ? ref : "/" + ref
      if let r = all.values.first(where: { $0.name == name }) { return r }
      guard !ref.isEmpty, ref.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
        throw DaemonError.noSuchContainer(ref)
      }
      let matches = all.values.filter { $0.id.hasPrefix(ref) }
      guard matches.count <= 1 else {
        throw DaemonError.invalid("multiple IDs found with provided prefix: \(ref)")
      }
      guard let r = matches.first else { throw DaemonError.noSuchContainer(ref) }
      return r
    }
  }

  /// Every (fully created) record, newest first.
  public func all() -> [ContainerRecord] {
    records.withLock { Array($0.values) }.filter { $0.created != Timestamps.zero }
      .sorted { $0.created > $1.created }
  }

  public func rename(_ ref: String, to newName: String) throws -> ContainerRecord {
    guard Self.validName(newName) else {
      throw DaemonError.invalid("Invalid container name (\(newName)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
    }
    let full = newName.hasPrefix("/") ? newName : "/" + newName
    let record = try get(ref)
    if record.name == full {
      throw DaemonError.invalid("Renaming a container with the same name as its current name")
    }
    let renamed: ContainerRecord = try records.withLock { all in
      if let other = all.values.first(where: { $0.name == full }) {
        throw DaemonError.conflict(
          "Conflict. The container name \"\(full)\" is already in use by container \"\(other.id)\". "
            + "You have to remove (or rename) that container to be able to reuse that name.")
      }
      guard var r = all[record.id] else { throw DaemonError.noSuchContainer(ref) }
      r.name = full
      all[record.id] = r
      return r
    }
    do {
      try write(renamed)
    } catch {
      records.withLock { $0[record.id] = record }
      throw error
    }
    return renamed
  }

  /// Forgets the record and deletes its directory: one rename into the trash, so a crash
  /// cannot leave a half-deleted directory with its record behind.
  public func remove(_ id: String) throws {
    records.withLock { _ = $0.removeValue(forKey: id) }
    try trash.discard(directory(id))
  }
}
