import Testing

@testable import Daemon

#if canImport(Glibc)
  import Glibc
#endif

private func tempDir(_ tag: String) -> String {
  let path = "/tmp/berth-store-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  mkdir(path, 0o755)
  return path
}

/// Retried: the store's background threads (spares, trash) may still be adding an entry;
/// once the directory is gone they cannot.
private func removeTree(_ path: String) {
  for _ in 0..<100 where LinuxOSFiles.exists(path) {
    _ = try? LinuxOSFiles.removeTree(path)
    if LinuxOSFiles.exists(path) { usleep(10_000) }
  }
}

import LinuxOS

private typealias LinuxOSFiles = LinuxOS.Files

private func make(_ store: ContainerStore, name: String?) throws -> ContainerRecord {
  try store.create(name: name) { id, full in
    ContainerRecord(
      id: id, name: full, created: Timestamps.now(), imageID: "sha256:abc", imageName: "busybox",
      imageChainID: nil, settings: ContainerSettings(image: "busybox"))
  }
}

@Suite struct ContainerStoreTests {
  @Test func idsAndGeneratedNames() throws {
    let root = tempDir("ids")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    let a = try make(store, name: nil)
    #expect(ContainerStore.isID(a.id))
    #expect(a.name.hasPrefix("/") && a.name.contains("_"))
    #expect(LinuxOSFiles.exists("\(root)/\(a.id)/config.v2.json"))
  }

  @Test func lookupByIdNamePrefix() throws {
    let root = tempDir("lookup")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    let a = try make(store, name: "web")
    #expect(try store.get(a.id).id == a.id)
    #expect(try store.get("web").id == a.id)
    #expect(try store.get("/web").id == a.id)
    #expect(try store.get(String(a.id.prefix(5))).id == a.id)
    #expect(throws: DaemonError.noSuchContainer("nope")) { try store.get("nope") }
    #expect(throws: DaemonError.noSuchContainer("")) { try store.get("") }
  }

  @Test func ambiguousPrefix() throws {
    let root = tempDir("ambiguous")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    var ids: [String] = []
    for _ in 0..<40 { ids.append(try make(store, name: nil).id) }
    // Some single hex digit is the first character of two of 40 ids.
    let first = Dictionary(grouping: ids, by: { $0.prefix(1) }).first { $0.value.count > 1 }
    let prefix = try #require(first?.key)
    #expect(throws: DaemonError.invalid("multiple IDs found with provided prefix: \(prefix)")) {
      try store.get(String(prefix))
    }
  }

  @Test func nameConflictAndInvalidName() throws {
    let root = tempDir("conflict")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    let a = try make(store, name: "db")
    #expect(
      throws: DaemonError.conflict(
        "Conflict. The container name \"/db\" is already in use by container \"\(a.id)\". "
          + "You have to remove (or rename) that container to be able to reuse that name.")
    ) { _ = try make(store, name: "db") }
    #expect(throws: DaemonError.self) { _ = try make(store, name: "bad name") }
    #expect(store.all().count == 1)
  }

  /// A spare directory brings the record's temporary file: the first write allocates no
  /// inode (the record is the file that was ready), and the store still reloads it.
  @Test func firstRecordWriteReusesTheSpareFile() throws {
    let root = tempDir("spare")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    store.spares.waitUntilFull()
    var ready: Set<ino_t> = []
    for spare in try LinuxOSFiles.list(root + "/.spares") {
      var st = stat()
      #expect(lstat("\(root)/.spares/\(spare)/config.v2.json.next", &st) == 0)
      ready.insert(st.st_ino)
    }
    #expect(ready.count == 2)
    let record = try make(store, name: "reused")
    var after = stat()
    #expect(lstat(store.directory(record.id) + "/config.v2.json", &after) == 0)
    #expect(ready.contains(after.st_ino))
    #expect(try ContainerStore(root: root).get("reused").id == record.id)
    store.spares.waitUntilFull()
  }

  @Test func failedCreateLeavesNothing() throws {
    let root = tempDir("failed")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    struct Boom: Error {}
    #expect(throws: Boom.self) { _ = try store.create(name: "xx") { _, _ in throw Boom() } }
    #expect(try LinuxOSFiles.list(root).sorted() == [".spares", ".trash"])
    store.trash.waitUntilEmpty()
    #expect(try LinuxOSFiles.list(root + "/.trash").isEmpty)
    _ = try make(store, name: "xx")  // the name is free again
  }

  @Test func saveReloadRenameRemove() throws {
    let root = tempDir("reload")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    var a = try make(store, name: "one")
    a.state.status = .running
    a.state.pid = 1234
    a.restartCount = 2
    try store.save(a)
    let b = try make(store, name: "two")

    let reopened = try ContainerStore(root: root)
    #expect(try reopened.get("one") == a)
    #expect(try reopened.get("two") == b)
    #expect(reopened.all().count == 2)

    let renamed = try reopened.rename("one", to: "uno")
    #expect(renamed.name == "/uno")
    #expect(throws: DaemonError.self) { _ = try reopened.rename("uno", to: "two") }
    #expect(try ContainerStore(root: root).get("uno").id == a.id)

    try reopened.remove(a.id)
    #expect(throws: DaemonError.self) { _ = try reopened.get("uno") }
    #expect(!LinuxOSFiles.exists("\(root)/\(a.id)"))
    // No temp files left behind by atomic writes.
    #expect(try LinuxOSFiles.list("\(root)/\(b.id)") == ["config.v2.json"])
  }

  @Test func timestampsRoundTrip() {
    var ts = timespec()
    ts.tv_sec = 1_700_000_000
    ts.tv_nsec = 123_456_789
    let s = Timestamps.format(ts)
    #expect(s == "2023-11-14T22:13:20.123456789Z")
    let parsed = Timestamps.parse(s) ?? 0
    #expect(abs(parsed - 1_700_000_000.123456789) < 1e-6)
    #expect(Timestamps.parse("2023-11-14T23:13:20+01:00") == 1_700_000_000)
  }
}

@Suite struct ContainerStoreMemoryOnlyUpdateTests {
  /// `persist: false` (the exit of a --rm container): the store answers the new state, the
  /// disk keeps the last persisted one, which a restarted daemon then reconciles.
  @Test func memoryOnlyUpdateLeavesTheDiskRecord() throws {
    let root = tempDir("memonly")
    defer { removeTree(root) }
    let store = try ContainerStore(root: root)
    let a = try make(store, name: "m")
    try store.update(a.id) { $0.state.status = .running }
    try store.update(a.id, persist: false) { $0.state.status = .exited }
    #expect(try store.get(a.id).state.status == .exited)
    #expect(try ContainerStore(root: root).get(a.id).state.status == .running)
  }
}
