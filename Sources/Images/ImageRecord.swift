// The tag → target index: one JSON file, rewritten atomically.
import FoundationEssentials
import OCI
import LinuxOS

/// A name pointing at an image (a manifest or an index).
public struct ImageRecord: Codable, Sendable, Hashable {
  /// Fully qualified reference ("docker.io/library/busybox:latest"), or
  /// "<none>@sha256:…" for an untagged (dangling) image.
  public var name: String
  public var target: Descriptor
  /// RFC 3339 time the name was created or last changed.
  public var updated: String
  /// "name@sha256:…" of the manifest (or index) this name was pulled as; nil when not pulled.
  public var repoDigests: [String]? = nil
  /// An untagged image a build made for one of its steps (the build cache): found by ID,
  /// kept by garbage collection, but not listed (as dockerd hides intermediate images).
  public var intermediate: Bool? = nil

  public var isDangling: Bool { name.hasPrefix(ImageRecord.danglingPrefix) }
  static let danglingPrefix = "<none>@"

  public var reference: ImageReference? {
    isDangling ? nil : try? ImageReference(parsing: name, defaultTag: false)
  }
}

struct ImageDatabase: Codable {
  var images: [String: ImageRecord] = [:]

  static func load(_ path: String) throws -> ImageDatabase {
    guard let bytes = try Files.readIfExists(path) else { return ImageDatabase() }
    do {
      return try JSONDecoder().decode(ImageDatabase.self, from: Data(bytes))
    } catch {
      throw ImageError.corruptMetadata(path: path, reason: "\(error)")
    }
  }

  func save(_ path: String) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .prettyPrinted]
    try Files.writeAtomically(path, Array(try enc.encode(self)), temporary: Files.uniqueTemporary(for: path))
  }
}
