// `docker login` / `POST /auth`: checks credentials against the registry (Basic on /v2/, or
// a token from the realm without a scope, as docker does) without storing anything.
import AsyncHTTPClient
import NIOHTTP1

extension RegistryClient {
  /// Throws `RegistryError.unauthorized` when the registry refuses `credentials`.
  /// Returns "Login Succeeded" (the Engine API's status text).
  @discardableResult
  public func login(registry: String, credentials: RegistryCredentials) async throws -> String {
    guard let endpoint = try await reachableEndpoints(for: registry, mirrors: false).first else {
      throw RegistryError.unreachable(registry: registry, underlying: "")
    }
    let session = RegistrySession(
      client: self, endpoint: endpoint, repository: "", credentials: credentials, actions: [])
    switch try await ping(endpoint) {
    case nil:
      break  // an open registry accepts anyone
    case .some(let challenge) where challenge.scheme == .bearer:
      _ = try await fetchToken(challenge, session: session)
    case .some:
      var h = HTTPHeaders()
      if let basic = credentials.basicAuthorization { h.add(name: "Authorization", value: basic) }
      let resp = try await sendPlain(.GET, endpoint.baseURL + "/v2/", headers: h)
      guard resp.status == .ok else { throw await failure(resp, "login to \(registry)", session: session) }
      await drain(resp)
    }
    return "Login Succeeded"
  }
}
