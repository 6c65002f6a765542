// Pull: manifest (index → platform), config and layers into the content store (layers in
// parallel, present ones skipped, each verified), then the name with its repo digest, then
// the unpack. Progress lines are docker's.
import ContentStore
import FoundationEssentials
import Images
import OCI

public struct PulledImage: Sendable {
  public var reference: ImageReference
  public var image: Image
  /// "docker.io/library/busybox@sha256:…": the digest the registry knows the image by (the
  /// index's, for a multi-platform image).
  public var repoDigest: String
  /// False when the name already pointed at this image and no blob was fetched.
  public var downloadedNewer: Bool
}

extension RegistryClient {
  /// Pulls `reference` (by tag or digest) into `store` for `platform` (the store's by default).
  /// `auth` overrides the credential store (the daemon passes X-Registry-Auth's credentials).
  @discardableResult
  public func pull(
    reference: ImageReference, platform: Platform? = nil, auth: RegistryCredentials? = nil,
    into store: ImageStore, unpack: Bool = true, progress: ProgressHandler? = nil
  ) async throws -> PulledImage {
    let creds = try resolveCredentials(auth, registry: reference.domain)
    let endpoints = try await reachableEndpoints(for: reference.domain)
    for (i, endpoint) in endpoints.enumerated() {
      let session = RegistrySession(
        client: self, endpoint: endpoint, repository: reference.path, credentials: creds, actions: ["pull"])
      do {
        return try await pull(
          reference, session: session, platform: platform ?? store.platform, store: store, unpack: unpack,
          progress: progress ?? { _ in })
      } catch  where endpoint.isMirror && i < endpoints.count - 1 {
        log("mirror \(endpoint.baseURL) failed for \(reference): \(error); trying the next endpoint")
      }
    }
    throw RegistryError.unreachable(registry: reference.domain, underlying: "no endpoint left")
  }

  /// `--all-tags`: every tag of the repository, one after the other.
  public func pullAllTags(
    repository: ImageReference, platform: Platform? = nil, auth: RegistryCredentials? = nil,
    into store: ImageStore, unpack: Bool = true, progress: ProgressHandler? = nil
  ) async throws -> [PulledImage] {
    let tags = try await tags(of: repository, auth: auth)
    var out: [PulledImage] = []
    for tag in tags {
      out.append(
        try await pull(
          reference: repository.withTag(tag), platform: platform, auth: auth, into: store, unpack: unpack,
          progress: progress))
    }
    return out
  }

  /// The tags of a repository (all pages).
  public func tags(of repository: ImageReference, auth: RegistryCredentials? = nil, pageSize: Int = 1000)
    async throws -> [String]
  {
    let creds = try resolveCredentials(auth, registry: repository.domain)
    let endpoint = try await reachableEndpoints(for: repository.domain).first
    guard let endpoint else { throw RegistryError.unreachable(registry: repository.domain, underlying: "") }
    let session = RegistrySession(
      client: self, endpoint: endpoint, repository: repository.path, credentials: creds, actions: ["pull"])
    return try await listTags(session, pageSize: pageSize)
  }

  /// The manifest (or index) descriptor a reference resolves to, without pulling
  /// (`GET /distribution/{name}/json`).
  public func resolve(reference: ImageReference, auth: RegistryCredentials? = nil) async throws
    -> FetchedManifest
  {
    let session = try await pullSession(reference, auth: auth)
    return try await fetchManifest(
      session, reference: reference.digest?.description ?? reference.tag ?? ImageReference.defaultTag)
  }

  func pull(
    _ reference: ImageReference, session: RegistrySession, platform: Platform, store: ImageStore,
    unpack: Bool, progress: @escaping ProgressHandler
  ) async throws -> PulledImage {
    let wanted = reference.digest?.description ?? reference.tag ?? ImageReference.defaultTag
    progress(ProgressEvent(id: reference.tag ?? wanted, status: "Pulling from \(reference.path)"))
    let top = try await fetchManifest(session, reference: wanted)
    var fetched = top
    if MediaType.isIndex(top.descriptor.mediaType) {
      let index = try decode(ImageIndex.self, top.bytes, what: "index of \(reference)")
      let chosen = try PlatformMatching.select(index, for: platform, reference: reference.familiarString)
      fetched = try await fetchManifest(session, reference: chosen.digest.description)
      guard MediaType.isManifest(fetched.descriptor.mediaType) else {
        throw RegistryError.unsupportedMediaType(fetched.descriptor.mediaType, reference: reference.description)
      }
      try store.content.put(top.bytes, expected: top.descriptor.digest)
    }
    let manifest = try decode(ImageManifest.self, fetched.bytes, what: "manifest of \(reference)")
    let content = store.content

    // Config first (small; its diffIDs are checked against the layers), then the layers.
    try await fetchBlob(session, manifest.config, into: content)
    let config = try decode(
      ImageConfig.self, Array(try content.read(manifest.config.digest)), what: "config of \(reference)")
    guard config.rootfs.diffIDs.count == manifest.layers.count else {
      throw RegistryError.invalidResponse(
        "\(reference): \(manifest.layers.count) layers but \(config.rootfs.diffIDs.count) diffIDs in the config")
    }
    let fetchedAny = try await fetchLayers(
      manifest, diffIDs: config.rootfs.diffIDs, session: session, store: store, unpack: unpack, progress: progress)

    try store.content.put(fetched.bytes, expected: fetched.descriptor.digest)
    let repoDigest = reference.name + "@" + top.descriptor.digest.description
    let upToDate = !fetchedAny && store.names(reference, manifest: fetched.descriptor.digest)
    let image = try store.registerPulled(reference, manifest: fetched.descriptor, repoDigest: repoDigest)
    progress(ProgressEvent(status: "Digest: \(top.descriptor.digest)"))
    progress(
      ProgressEvent(
        status: upToDate
          ? "Status: Image is up to date for \(reference.familiarString)"
          : "Status: Downloaded newer image for \(reference.familiarString)"))
    return PulledImage(reference: reference, image: image, repoDigest: repoDigest, downloadedNewer: !upToDate)
  }

  func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: Data(bytes))
    } catch {
      throw RegistryError.invalidResponse("\(what) is not valid JSON: \(error)")
    }
  }
}
