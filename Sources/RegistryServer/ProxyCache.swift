// Pull-through cache: a manifest or blob missing here is fetched from the upstream
// registry, verified and stored (a blob goes through an upload session, so its digest is
// checked before it is visible), then served from disk. Tags are fetched once, on a miss.
import ContentStore
import JSONCoding
import NIOCore
import NIOHTTP1
import NIOPosix
import OCI

final class ProxyCache: Sendable {
  let upstream: UpstreamClient
  let storage: RegistryStorage
  let pool: NIOThreadPool

  static let defaultAccept = [
    MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest,
  ].joined(separator: ", ")

  init(upstream: UpstreamClient, storage: RegistryStorage, pool: NIOThreadPool) {
    self.upstream = upstream
    self.storage = storage
    self.pool = pool
  }

  func fetchManifest(_ name: String, _ reference: String, accept: [String]) async throws -> StoredManifest {
    let acceptHeader = accept.isEmpty ? Self.defaultAccept : accept.joined(separator: ", ")
    let (bytes, contentType) = try await upstream.get(
      "/v2/\(name)/manifests/\(reference)", headers: [("Accept", acceptHeader)]
    ) { response -> ([UInt8], String?) in
      guard response.head.status == .ok else {
        throw Self.upstreamError(response.head.status, what: "manifest \(name):\(reference)")
      }
      return (
        try await response.collect(limit: RegistryHandlers.manifestLimit),
        response.head.headers.first(name: "Content-Type")
      )
    }
    let storage = self.storage
    return try await pool.runIfActive {
      let result = try storage.putManifest(
        name, reference: reference, bytes: bytes, contentType: contentType, extraTags: [], verifyReferences: false)
      return try storage.manifest(name, result.digest.string)
    }
  }

  /// The blob after fetching it; nil when upstream does not have it either.
  func fetchBlob(_ name: String, _ digest: Digest) async throws -> BlobInfo? {
    let storage = self.storage
    let pool = self.pool
    let session = try await pool.runIfActive { try storage.startUpload(name) }
    do {
      let found = try await upstream.get("/v2/\(name)/blobs/\(digest.string)", headers: []) { response -> Bool in
        if response.head.status == .notFound { return false }
        guard response.head.status == .ok else {
          throw Self.upstreamError(response.head.status, what: "blob \(digest)")
        }
        while let buffer = try await response.next() {
          try await pool.runIfActive { try buffer.withUnsafeReadableBytes { try session.append($0) } }
        }
        return true
      }
      guard found else {
        try await pool.runIfActive { storage.cancelUpload(session) }
        return nil
      }
      return try await pool.runIfActive { try storage.finishUpload(session, expected: digest) }
    } catch {
      try await pool.runIfActive { storage.cancelUpload(session) }
      throw error
    }
  }

  func fetchTags(_ name: String) async throws -> [String] {
    struct TagList: Codable { var tags: [String]? }
    let bytes = try await upstream.get("/v2/\(name)/tags/list", headers: []) { response -> [UInt8] in
      guard response.head.status == .ok else { throw Self.upstreamError(response.head.status, what: "tags of \(name)") }
      return try await response.collect(limit: 16 << 20)
    }
    return try JSON.decode(TagList.self, from: bytes).tags ?? []
  }

  static func upstreamError(_ status: HTTPResponseStatus, what: String) -> RegistryError {
    switch status {
    case .notFound: return RegistryError(.notFound, "MANIFEST_UNKNOWN", "not found upstream", detail: what)
    case .unauthorized, .forbidden:
      return RegistryError(.unauthorized, "UNAUTHORIZED", "the upstream registry refused the proxy", detail: what)
    default:
      return RegistryError(.badGateway, "UNKNOWN", "the upstream registry answered \(status.code)", detail: what)
    }
  }
}
