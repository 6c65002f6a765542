// The build cache: a step's key (what it starts from and what it does, see
// BuildRun.cacheKey) → the manifest digest of the image it made. The images themselves are the image
// store's intermediate images; an entry whose image is gone is a miss.
import JSONCoding
import LinuxOS
import Synchronization

final class BuildCache: Sendable {
  private let path: String
  private let entries: Mutex<[String: String]>

  init(path: String) throws {
    self.path = path
    try Files.makeDirectories(Files.parent(of: path), mode: 0o700)
    var loaded: [String: String] = [:]
    if let bytes = try Files.readIfExists(path) {
      do {
        loaded = try JSON.decode([String: String].self, from: bytes)
      } catch {
        // The cache only saves time: a damaged index starts it afresh.
        DaemonLog.engine.warning("build cache index \(path) is unreadable, starting empty: \(error)")
      }
    }
    entries = Mutex(loaded)
  }

  func image(for key: String) -> String? { entries.withLock { $0[key] } }

  func record(_ key: String, image id: String) throws {
    try entries.withLock { e in
      e[key] = id
      try save(e)
    }
  }

  var count: Int { entries.withLock { $0.count } }

  func removeAll() throws {
    try entries.withLock { e in
      e = [:]
      try save(e)
    }
  }

  private func save(_ e: [String: String]) throws {
    try Files.writeAtomically(path, try JSON.encode(e, options: JSON.Options(sortedKeys: true)), mode: 0o600)
  }
}
