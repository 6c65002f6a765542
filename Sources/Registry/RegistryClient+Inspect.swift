// `GET /distribution/{name}/json`: what a reference resolves to and the platforms it
// serves, without pulling. An index lists them; a single manifest has one, which only its
// config says (dockerd reads it from there too).
import ContentStore
import FoundationEssentials
import Images
import OCI

/// A resolved reference: the top descriptor (index or manifest) and its platforms.
public struct DistributionInfo: Sendable {
  public var manifest: FetchedManifest
  public var platforms: [Platform]
}

extension RegistryClient {
  public func inspect(reference: ImageReference, auth: RegistryCredentials? = nil) async throws
    -> DistributionInfo
  {
    let session = try await pullSession(reference, auth: auth)
    let fetched = try await fetchManifest(
      session, reference: reference.digest?.description ?? reference.tag ?? ImageReference.defaultTag)
    if MediaType.isIndex(fetched.descriptor.mediaType) {
      let index = try decode(ImageIndex.self, fetched.bytes, what: "index of \(reference)")
      return DistributionInfo(manifest: fetched, platforms: index.manifests.compactMap(\.platform))
    }
    let manifest = try decode(ImageManifest.self, fetched.bytes, what: "manifest of \(reference)")
    let bytes = try await fetchSmallBlob(session, manifest.config, what: "config of \(reference)")
    let config = try decode(ImageConfig.self, bytes, what: "config of \(reference)")
    let platform = Platform(
      architecture: config.architecture, os: config.os, variant: config.variant, osVersion: config.osVersion,
      osFeatures: config.osFeatures)
    return DistributionInfo(manifest: fetched, platforms: [platform])
  }

  /// A pull session on the registry's first reachable endpoint.
  func pullSession(_ reference: ImageReference, auth: RegistryCredentials?) async throws -> RegistrySession {
    let creds = try resolveCredentials(auth, registry: reference.domain)
    guard let endpoint = try await reachableEndpoints(for: reference.domain).first else {
      throw RegistryError.unreachable(registry: reference.domain, underlying: "")
    }
    return RegistrySession(
      client: self, endpoint: endpoint, repository: reference.path, credentials: creds, actions: ["pull"])
  }

  /// A blob small enough to hold in memory (a config), verified against its descriptor.
  func fetchSmallBlob(_ session: RegistrySession, _ desc: Descriptor, what: String) async throws -> [UInt8] {
    let resp = try await send(session, .GET, session.url("/blobs/\(desc.digest)"))
    guard resp.status == .ok else { throw await failure(resp, "fetching the \(what)", session: session) }
    let bytes = try await collect(resp, limit: 16 << 20)
    let actual = SHA256Hasher.digest(bytes)
    guard actual == desc.digest, Int64(bytes.count) == desc.size else {
      throw RegistryError.digestMismatch(what: what, expected: desc.digest, actual: actual)
    }
    return bytes
  }
}
