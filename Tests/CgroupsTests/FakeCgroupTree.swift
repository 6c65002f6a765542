import Foundation

/// A temporary directory laid out like a cgroup file system, for testing the file logic
/// without a kernel. Files are plain files: a write replaces the content, nothing reacts.
final class FakeCgroupTree {
  let root: String

  init() throws {
    root = NSTemporaryDirectory() + "berth-fake-cgroup-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  func path(_ relative: String) -> String {
    relative.isEmpty ? root : root + "/" + relative
  }

  /// Creates `dir` (relative) with the given files.
  func make(_ dir: String, _ files: [String: String]) throws {
    try FileManager.default.createDirectory(atPath: path(dir), withIntermediateDirectories: true)
    for (name, content) in files {
      try content.write(toFile: path(dir) + "/" + name, atomically: false, encoding: .utf8)
    }
  }

  func read(_ file: String) -> String? {
    (try? String(contentsOfFile: path(file), encoding: .utf8))?.trimmingCharacters(
      in: .whitespacesAndNewlines)
  }

  func exists(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: path(relative))
  }
}

/// Some OCI types have no public memberwise init; tests build them from their JSON.
func fromJSON<T: Decodable>(_ json: String, as type: T.Type = T.self) throws -> T {
  try JSONDecoder().decode(T.self, from: Data(json.utf8))
}
