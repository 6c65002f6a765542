// GET/HEAD/PUT/DELETE /v2/<name>/manifests/<reference>.
import Foundation
import JSONCoding
import NIOHTTP1
import OCI

extension RegistryHandlers {
  func getManifest(_ request: RegistryRequest, _ name: String, _ reference: String) async throws -> RegistryResponse {
    let storage = self.storage
    var stored: StoredManifest
    do {
      stored = try await io { try storage.manifest(name, reference) }
    } catch let e as RegistryError where e.status == .notFound && proxy != nil {
      guard let proxy else { throw e }
      stored = try await proxy.fetchManifest(name, reference, accept: request.head.headers["Accept"])
    }
    let accepted = Self.acceptedTypes(request.head.headers["Accept"])
    if !Self.accepts(accepted, stored.mediaType) {
      // An index asked for by tag by a client that takes no index: its manifest for this
      // host, as distribution does for old clients.
      guard MediaType.isIndex(stored.mediaType), case .tag = try ManifestReference(reference),
        let child = try await hostManifest(of: stored, in: name), Self.accepts(accepted, child.mediaType)
      else {
        throw RegistryError(
          .notFound, "MANIFEST_UNKNOWN", "manifest unknown to registry",
          detail: "\(reference) is a \(stored.mediaType), which the Accept header does not include")
      }
      stored = child
    }
    var headers = [
      ("Content-Type", stored.mediaType), ("Docker-Content-Digest", stored.digest.string),
      ("ETag", "\"\(stored.digest.string)\""),
    ]
    if request.method == .HEAD {
      headers.append(("Content-Length", "\(stored.size)"))
      return RegistryResponse(.ok, headers: headers)
    }
    let digest = stored.digest
    let bytes = try await io { try storage.manifestBytes(digest) }
    return RegistryResponse(.ok, headers: headers, body: .bytes(bytes))
  }

  private func hostManifest(of index: StoredManifest, in name: String) async throws -> StoredManifest? {
    let storage = self.storage
    return try await io {
      let parsed = try JSON.decode(ImageIndex.self, from: storage.manifestBytes(index.digest))
      guard let d = parsed.manifest(for: .host) else { return nil }
      return try? storage.manifest(name, d.digest.string)  // a child not in this repository: none
    }
  }

  /// Media types named by Accept headers (parameters such as q dropped).
  static func acceptedTypes(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map {
      String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  /// No Accept header takes anything (as distribution); otherwise the type or a wildcard.
  static func accepts(_ accepted: [String], _ mediaType: String) -> Bool {
    accepted.isEmpty || accepted.contains(mediaType) || accepted.contains("*/*")
      || accepted.contains("application/*")
  }

  func putManifest(_ request: RegistryRequest, _ body: RequestBody, _ name: String, _ reference: String) async throws
    -> RegistryResponse
  {
    let tooLarge = RegistryError(
      .payloadTooLarge, "SIZE_INVALID", "manifest too large", detail: "the limit is \(Self.manifestLimit) bytes")
    let bytes = try await body.collect(limit: Self.manifestLimit, tooLarge: tooLarge)
    let contentType = request.header("Content-Type")
    let extraTags = request.query.all("tag")
    let storage = self.storage
    let result = try await io {
      try storage.putManifest(name, reference: reference, bytes: bytes, contentType: contentType, extraTags: extraTags)
    }
    var headers = [
      ("Location", "/v2/\(name)/manifests/\(result.digest.string)"),
      ("Docker-Content-Digest", result.digest.string),
    ]
    if let subject = result.subject { headers.append(("OCI-Subject", subject.string)) }
    if !extraTags.isEmpty { headers.append(("OCI-Tag", result.tags.joined(separator: ", "))) }
    return RegistryResponse(.created, headers: headers)
  }

  func deleteManifest(_ name: String, _ reference: String) async throws -> RegistryResponse {
    try requireDelete()
    let storage = self.storage
    let parsed = try ManifestReference(reference)
    try await io {
      switch parsed {
      case .digest(let d): try storage.deleteManifest(name, d)
      case .tag(let t): try storage.deleteTag(name, t)
      }
    }
    return RegistryResponse(.accepted)
  }
}
