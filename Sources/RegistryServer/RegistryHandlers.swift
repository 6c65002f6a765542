// Dispatch of one request to its endpoint, after the authorization check. Disk work runs
// on the thread pool; the handlers only await it.
import NIOCore
import NIOHTTP1
import NIOPosix
import OCI

struct RegistryHandlers: Sendable {
  let storage: RegistryStorage
  let pool: NIOThreadPool
  let authenticator: (any RegistryAuthenticator)?
  let proxy: ProxyCache?
  let deleteEnabled: Bool
  static let manifestLimit = 4 << 20

  func handle(_ request: RegistryRequest, _ body: RequestBody) async throws -> RegistryResponse {
    guard let route = try RegistryRoute.parse(request.path) else {
      throw RegistryError.notFound(request.path)
    }
    if let authenticator {
      if let denied = authenticator.check(
        authorization: request.header("Authorization"), access: route.access(request.method))
      {
        throw denied
      }
    }
    switch (route, request.method) {
    case (.base, .GET), (.base, .HEAD):
      return RegistryResponse(.ok, headers: [("Content-Type", "application/json")], body: .bytes(Array("{}".utf8)))
    case (.catalog, .GET): return try await catalog(request)
    case (.manifest(let name, let reference), .GET), (.manifest(let name, let reference), .HEAD):
      return try await getManifest(request, name, reference)
    case (.manifest(let name, let reference), .PUT): return try await putManifest(request, body, name, reference)
    case (.manifest(let name, let reference), .DELETE): return try await deleteManifest(name, reference)
    case (.blob(let name, let digest), .GET), (.blob(let name, let digest), .HEAD):
      return try await getBlob(request, name, digest)
    case (.blob(let name, let digest), .DELETE): return try await deleteBlob(name, digest)
    case (.uploadStart(let name), .POST): return try await startUpload(request, body, name)
    case (.upload(let name, let id), .PATCH): return try await patchUpload(request, body, name, id)
    case (.upload(let name, let id), .PUT): return try await finishUpload(request, body, name, id)
    case (.upload(let name, let id), .GET): return try await uploadStatus(name, id)
    case (.upload(let name, let id), .DELETE): return try await cancelUpload(name, id)
    case (.tags(let name), .GET): return try await tags(request, name)
    case (.referrers(let name, let digest), .GET): return try await referrers(request, name, digest)
    default:
      throw RegistryError.unsupported("\(request.method) is not allowed on \(request.path)")
    }
  }

  /// Runs blocking storage work on the thread pool.
  func io<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
    try await pool.runIfActive(work)
  }

  func parseDigest(_ text: String) throws -> Digest {
    do {
      let d = try Digest(parsing: text)
      guard d.algorithm == "sha256" else {
        throw RegistryError.digestInvalid("only sha256 digests are supported: \(text)")
      }
      return d
    } catch let e as RegistryError {
      throw e
    } catch {
      throw RegistryError.digestInvalid("\(error)")
    }
  }

  func requireDelete() throws {
    guard deleteEnabled else { throw RegistryError.unsupported("deletion is disabled on this registry") }
  }
}
