// Manifests, tags and referrers of a repository. A manifest's bytes are a blob in the
// store (kept exactly as pushed); the revision link records its media type.
import ContentStore
import Foundation
import JSONCoding
import LinuxOS
import OCI

/// The fields of a manifest or index the registry looks at.
struct ManifestProbe: Codable {
  var schemaVersion: Int?
  var mediaType: String?
  var artifactType: String?
  var config: Descriptor?
  var layers: [Descriptor]?
  var manifests: [Descriptor]?
  var subject: Descriptor?
  var annotations: [String: String]?

  var isIndex: Bool { manifests != nil && config == nil }

  /// Digests this manifest keeps alive: config and layers, or an index's children.
  var references: [Digest] {
    var out: [Digest] = []
    if let config { out.append(config.digest) }
    for l in layers ?? [] where (l.urls ?? []).isEmpty { out.append(l.digest) }
    for m in manifests ?? [] { out.append(m.digest) }
    return out
  }
}

/// A manifest as stored: digest, media type, size.
public struct StoredManifest: Sendable, Hashable {
  public var digest: Digest
  public var mediaType: String
  public var size: Int64
}

/// A tag or a digest, as `<reference>` in `/manifests/<reference>`.
enum ManifestReference: Sendable {
  case tag(String)
  case digest(Digest)

  init(_ text: String) throws {
    if text.contains(":") {
      do {
        self = .digest(try Digest(parsing: text))
      } catch {
        throw RegistryError.digestInvalid("\(error)")
      }
    } else {
      guard RegistryNames.isValidTag(text) else { throw RegistryError.tagInvalid(text) }
      self = .tag(text)
    }
  }
}

/// What a manifest PUT did.
struct ManifestPutResult: Sendable {
  var digest: Digest
  var subject: Digest?
  var tags: [String]
}

extension RegistryStorage {
  static let schema1Types: Set<String> = [
    "application/vnd.docker.distribution.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
  ]

  /// The manifest `reference` names in `repository`.
  public func manifest(_ repository: String, _ reference: String) throws -> StoredManifest {
    let digest: Digest
    switch try ManifestReference(reference) {
    case .digest(let d): digest = d
    case .tag(let tag):
      guard let text = readString("\(tagsDir(repository))/\(tag)"), let d = try? Digest(parsing: text) else {
        throw repositoryExists(repository) ? RegistryError.manifestUnknown(reference) : .nameUnknown(repository)
      }
      digest = d
    }
    guard let mediaType = readString(revisionLink(repository, digest)), let info = blobs.info(digest) else {
      throw repositoryExists(repository) ? RegistryError.manifestUnknown(reference) : .nameUnknown(repository)
    }
    return StoredManifest(digest: digest, mediaType: mediaType, size: info.size)
  }

  func manifestBytes(_ digest: Digest) throws -> [UInt8] {
    [UInt8](try blobs.read(digest))
  }

  /// Stores a pushed manifest. `verifyReferences`: every config, layer and child manifest
  /// must be in the repository (off for the pull-through cache, which fetches them lazily).
  func putManifest(
    _ repository: String, reference: String, bytes: [UInt8], contentType: String?, extraTags: [String],
    verifyReferences: Bool = true
  ) throws -> ManifestPutResult {
    let probe: ManifestProbe
    do {
      probe = try JSON.decode(ManifestProbe.self, from: bytes)
    } catch {
      throw RegistryError.manifestInvalid("not a manifest: \(JSON.describe(error))")
    }
    let declared = contentType.map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) }
    let mediaType: String
    if let declared, !declared.isEmpty, declared != "application/octet-stream" {
      if let field = probe.mediaType, field != declared {
        throw RegistryError.manifestInvalid("Content-Type \(declared) differs from the mediaType field \(field)")
      }
      mediaType = declared
    } else {
      mediaType = probe.mediaType ?? (probe.isIndex ? MediaType.ociIndex : MediaType.ociManifest)
    }
    if Self.schema1Types.contains(mediaType) {
      throw RegistryError.manifestInvalid("Docker schema 1 manifests are not supported; push schema 2 or OCI")
    }
    let digest = SHA256Hasher.digest(bytes)
    var tags = extraTags
    switch try ManifestReference(reference) {
    case .digest(let d):
      guard d == digest else {
        throw RegistryError.digestInvalid("the manifest hashes to \(digest), not \(d)")
      }
    case .tag(let t): tags.insert(t, at: 0)
    }
    for tag in tags where !RegistryNames.isValidTag(tag) { throw RegistryError.tagInvalid(tag) }

    return try withGCLock(exclusive: false) {
      if verifyReferences {
        if probe.isIndex {
          for child in probe.manifests ?? [] where !Files.exists(revisionLink(repository, child.digest)) {
            throw RegistryError.manifestBlobUnknown(child.digest.string)
          }
        } else {
          var needed = probe.layers ?? []
          if let config = probe.config { needed.insert(config, at: 0) }
          for d in needed where (d.urls ?? []).isEmpty && blob(repository, d.digest) == nil {
            throw RegistryError.manifestBlobUnknown(d.digest.string)
          }
        }
      }
      if blobs.contains(digest) {
        try blobs.touch(digest)
      } else {
        try blobs.put(bytes, expected: digest)
      }
      try writeAtomically(revisionLink(repository, digest), Array(mediaType.utf8))
      for tag in tags {
        try writeAtomically("\(tagsDir(repository))/\(tag)", Array(digest.string.utf8))
      }
      if let subject = probe.subject {
        let descriptor = Descriptor(
          mediaType: mediaType, digest: digest, size: Int64(bytes.count), annotations: probe.annotations,
          artifactType: probe.artifactType ?? (probe.isIndex ? nil : probe.config?.mediaType))
        try writeAtomically(
          "\(referrersDir(repository, subject.digest))/\(digest.encoded)", try JSON.encode(descriptor))
      }
      return ManifestPutResult(digest: digest, subject: probe.subject?.digest, tags: tags)
    }
  }

  /// Deletes a manifest by digest: its revision, every tag on it, its referrer entry.
  func deleteManifest(_ repository: String, _ digest: Digest) throws {
    let link = revisionLink(repository, digest)
    guard Files.exists(link) else {
      throw repositoryExists(repository) ? RegistryError.manifestUnknown(digest.string) : .nameUnknown(repository)
    }
    for tag in list(tagsDir(repository)) where readString("\(tagsDir(repository))/\(tag)") == digest.string {
      try removeFile("\(tagsDir(repository))/\(tag)")
    }
    if let bytes = try? manifestBytes(digest),  // a manifest whose blob is gone has no subject to clean
      let probe = try? JSON.decode(ManifestProbe.self, from: bytes), let subject = probe.subject
    {
      try removeFile("\(referrersDir(repository, subject.digest))/\(digest.encoded)")
    }
    try removeFile(link)
  }

  func deleteTag(_ repository: String, _ tag: String) throws {
    let path = "\(tagsDir(repository))/\(tag)"
    guard Files.exists(path) else {
      throw repositoryExists(repository) ? RegistryError.manifestUnknown(tag) : .nameUnknown(repository)
    }
    try removeFile(path)
  }

  /// The repository's tags in byte order.
  public func tags(_ repository: String) throws -> [String] {
    guard repositoryExists(repository) else { throw RegistryError.nameUnknown(repository) }
    return list(tagsDir(repository)).filter(RegistryNames.isValidTag).sorted(by: Self.byteOrder)
  }

  /// Every repository, in byte order.
  public func repositories() -> [String] {
    var out: [String] = []
    func walk(_ dir: String, _ prefix: String) {
      for entry in list(dir) where !entry.hasPrefix("_") && Files.isDirectory("\(dir)/\(entry)") {
        let name = prefix.isEmpty ? entry : "\(prefix)/\(entry)"
        if repositoryExists(name) { out.append(name) }
        walk("\(dir)/\(entry)", name)
      }
    }
    walk(repositoriesDir, "")
    return out.sorted(by: Self.byteOrder)
  }

  /// Manifests of `repository` whose subject is `subject`, optionally of one artifact type.
  func referrers(_ repository: String, _ subject: Digest, artifactType: String?) -> [Descriptor] {
    let dir = referrersDir(repository, subject)
    var out: [Descriptor] = []
    for name in list(dir) {
      guard let d = Digest(sha256Hex: name), Files.exists(revisionLink(repository, d)) else { continue }
      do {
        let descriptor = try JSON.decode(Descriptor.self, from: Files.read("\(dir)/\(name)"))
        if let artifactType, descriptor.artifactType != artifactType { continue }
        out.append(descriptor)
      } catch {
        registryLog("referrer \(dir)/\(name): \(error)")
      }
    }
    return out.sorted { $0.digest < $1.digest }
  }

  /// Revisions (manifest digests) of a repository.
  func revisions(_ repository: String) -> [Digest] {
    list("\(repositoryDir(repository))/_manifests/revisions/sha256").compactMap { Digest(sha256Hex: $0) }
  }

  static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
