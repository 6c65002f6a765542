// Manifests: GET by tag or digest with content negotiation (OCI and Docker schema 2, images
// and indexes), the bytes verified against their digest; PUT of the exact stored bytes;
// the tags list with pagination (Link: <…>; rel="next").
import AsyncHTTPClient
import ContentStore
import FoundationEssentials
import NIOCore
import NIOHTTP1
import OCI

/// A manifest or index as the registry served it.
public struct FetchedManifest: Sendable {
  public var descriptor: Descriptor
  /// The exact bytes (the digest is computed over them).
  public var bytes: [UInt8]
}

extension RegistryClient {
  static let manifestAccept = [
    MediaType.ociManifest, MediaType.ociIndex, MediaType.dockerManifest, MediaType.dockerManifestList,
  ].joined(separator: ", ")

  /// Fetches the manifest named by `reference` (a tag or "sha256:…") and verifies it: against
  /// the digest when fetched by digest, else against the Docker-Content-Digest header.
  func fetchManifest(_ session: RegistrySession, reference: String) async throws -> FetchedManifest {
    var h = HTTPHeaders()
    h.add(name: "Accept", value: Self.manifestAccept)
    let what = "\(session.endpoint.registry)/\(session.repository):\(reference)"
    let resp = try await send(session, .GET, session.url("/manifests/\(reference)"), headers: h)
    guard resp.status == .ok else {
      if resp.status == .notFound {
        await drain(resp)
        throw RegistryError.notFound("manifest for \(what) not found: manifest unknown")
      }
      throw await failure(resp, "fetching the manifest of \(what)", session: session)
    }
    let bytes = try await collect(resp, limit: 4 << 20)
    let actual = SHA256Hasher.digest(bytes)
    // A reference that does not parse as a digest is a tag; a header that does not parse
    // is ignored (the bytes are still named by their own digest).
    let expected: Digest? =
      (try? Digest(parsing: reference))
      ?? resp.headers.first(name: "Docker-Content-Digest").flatMap { try? Digest(parsing: $0) }
    if let expected, expected != actual {
      throw RegistryError.digestMismatch(what: "manifest \(what)", expected: expected, actual: actual)
    }
    let header = resp.headers.first(name: "Content-Type").map {
      String($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
    }
    let mediaType = Self.mediaType(of: bytes, header: header)
    guard MediaType.isManifest(mediaType) || MediaType.isIndex(mediaType) else {
      throw RegistryError.unsupportedMediaType(mediaType, reference: what)
    }
    return FetchedManifest(
      descriptor: Descriptor(mediaType: mediaType, digest: actual, size: Int64(bytes.count)), bytes: bytes)
  }

  /// The manifest's own mediaType field wins; then the Content-Type; then its shape.
  static func mediaType(of bytes: [UInt8], header: String?) -> String {
    struct Probe: Decodable {
      var mediaType: String?
      var manifests: [Descriptor]?
      var config: Descriptor?
    }
    let probe = try? JSONDecoder().decode(Probe.self, from: Data(bytes))  // not JSON: the header decides
    if let m = probe?.mediaType, !m.isEmpty { return m }
    if let header, MediaType.isManifest(header) || MediaType.isIndex(header) { return header }
    if probe?.manifests != nil { return MediaType.ociIndex }
    if probe?.config != nil { return MediaType.ociManifest }
    return header ?? "unknown"
  }

  /// PUTs `bytes` as the manifest `reference` (a tag or digest) with its media type.
  func putManifest(
    _ session: RegistrySession, reference: String, bytes: [UInt8], mediaType: String
  ) async throws -> Digest {
    var h = HTTPHeaders()
    h.add(name: "Content-Type", value: mediaType)
    let resp = try await send(
      session, .PUT, session.url("/manifests/\(reference)"), headers: h,
      body: { .bytes(ByteBuffer(bytes: bytes)) })
    guard resp.status == .created || resp.status == .ok || resp.status == .accepted else {
      throw await failure(
        resp, "pushing the manifest \(session.repository):\(reference)", session: session)
    }
    await drain(resp)
    let digest = SHA256Hasher.digest(bytes)
    if let served = resp.headers.first(name: "Docker-Content-Digest"),
      let d = try? Digest(parsing: served), d != digest
    {
      throw RegistryError.digestMismatch(what: "pushed manifest", expected: digest, actual: d)
    }
    return digest
  }

  /// All tags of the session's repository, following `Link` pagination.
  func listTags(_ session: RegistrySession, pageSize: Int = 1000) async throws -> [String] {
    struct Page: Decodable { var tags: [String]? }
    var url = session.url("/tags/list?n=\(pageSize)")
    var all: [String] = []
    for _ in 0..<10_000 {
      let resp = try await send(session, .GET, url)
      guard resp.status == .ok else {
        throw await failure(resp, "listing the tags of \(session.repository)", session: session)
      }
      let link = resp.headers.first(name: "Link")
      let bytes = try await collect(resp, limit: 16 << 20)
      guard let page = try? JSONDecoder().decode(Page.self, from: Data(bytes)) else {
        throw RegistryError.invalidResponse("tags list of \(session.repository) is not JSON")
      }
      all += page.tags ?? []
      guard let next = link.flatMap(Self.nextLink) else { break }
      url = Self.resolve(next, against: url)
    }
    return all
  }

  /// The URL of `Link: </v2/…?last=x&n=y>; rel="next"`.
  static func nextLink(_ header: String) -> String? {
    for part in header.split(separator: ",") {
      guard part.contains("rel=\"next\"") || part.contains("rel=next"),
        let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close
      else { continue }
      return String(part[part.index(after: open)..<close])
    }
    return nil
  }
}
