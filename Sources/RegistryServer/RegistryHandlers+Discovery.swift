// Content discovery: tags/list and _catalog (n/last pagination, Link rel="next"), and
// the referrers API (an OCI index of the manifests whose subject is a digest).
import JSONCoding
import NIOHTTP1
import OCI

extension RegistryHandlers {
  struct TagList: Codable {
    var name: String
    var tags: [String]
  }

  struct Catalog: Codable {
    var repositories: [String]
  }

  /// The page of `all` after `last`, at most `n` long; the next page's Link when one follows.
  static func page(_ all: [String], _ query: QueryParameters, path: String) throws -> ([String], String?) {
    var items = all
    if let last = query["last"] { items = items.filter { RegistryStorage.byteOrder(last, $0) } }
    guard let nText = query["n"] else { return (items, nil) }
    guard let n = Int(nText), n >= 0 else {
      throw RegistryError(
        .badRequest, "PAGINATION_NUMBER_INVALID", "invalid number of results requested", detail: nText)
    }
    guard items.count > n else { return (items, nil) }
    let page = Array(items.prefix(n))
    guard n > 0, let lastItem = page.last else { return (page, nil) }
    let link = "<\(path)?n=\(n)&last=\(QueryParameters.encode(lastItem))>; rel=\"next\""
    return (page, link)
  }

  func tags(_ request: RegistryRequest, _ name: String) async throws -> RegistryResponse {
    let storage = self.storage
    var all: [String]
    do {
      all = try await io { try storage.tags(name) }
    } catch let e as RegistryError where e.status == .notFound && proxy != nil {
      guard let proxy else { throw e }
      all = try await proxy.fetchTags(name)
    }
    let (page, link) = try Self.page(all, request.query, path: "/v2/\(name)/tags/list")
    var response = RegistryResponse.json(.ok, try JSON.encode(TagList(name: name, tags: page)))
    if let link { response.headers.add(name: "Link", value: link) }
    return response
  }

  func catalog(_ request: RegistryRequest) async throws -> RegistryResponse {
    let storage = self.storage
    let all = try await io { storage.repositories() }
    let (page, link) = try Self.page(all, request.query, path: "/v2/_catalog")
    var response = RegistryResponse.json(.ok, try JSON.encode(Catalog(repositories: page)))
    if let link { response.headers.add(name: "Link", value: link) }
    return response
  }

  func referrers(_ request: RegistryRequest, _ name: String, _ digestText: String) async throws -> RegistryResponse {
    let digest = try parseDigest(digestText)
    let artifactType = request.query["artifactType"].flatMap { $0.isEmpty ? nil : $0 }
    let storage = self.storage
    let found = try await io { storage.referrers(name, digest, artifactType: artifactType) }
    let index = ImageIndex(manifests: found)
    var response = RegistryResponse.json(.ok, try JSON.encode(index), type: MediaType.ociIndex)
    if artifactType != nil { response.headers.add(name: "OCI-Filters-Applied", value: "artifactType") }
    return response
  }
}
