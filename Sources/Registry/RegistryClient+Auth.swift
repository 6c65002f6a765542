// Authentication: ping /v2/ once per endpoint for its challenge; answer Basic with the
// credentials, Bearer with a token from the realm (anonymous, basic credentials, or an
// identity token exchanged by OAuth2 refresh), cached per (endpoint, scopes) until it expires.
import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1
import Synchronization

final class AuthCache: Sendable {
  struct Token {
    var value: String
    var expires: ContinuousClock.Instant
  }
  /// baseURL → the challenge of its ping (nil: the registry needs no auth).
  let challenges = Mutex<[String: AuthChallenge?]>([:])
  let tokens = Mutex<[String: Token]>([:])

  /// Tokens are per endpoint, scopes and credentials (an anonymous token must never serve
  /// a logged-in pull). The hash is only compared within this process.
  static func key(_ s: RegistrySession) -> String {
    s.endpoint.baseURL + " " + s.scopes.sorted().joined(separator: " ") + " "
      + String(s.credentials?.hashValue ?? 0)
  }

  func challenge(_ baseURL: String) -> AuthChallenge?? {
    challenges.withLock { $0[baseURL] }
  }

  func setChallenge(_ c: AuthChallenge?, for baseURL: String) {
    challenges.withLock { $0[baseURL] = .some(c) }
  }

  func token(_ s: RegistrySession) -> String? {
    let now = ContinuousClock.now
    return tokens.withLock { t in
      guard let tok = t[Self.key(s)], tok.expires > now else { return nil }
      return tok.value
    }
  }

  func setToken(_ value: String, expiresIn: Int, for s: RegistrySession) {
    // Renew a little early so a token never expires between check and use.
    let life = max(10, expiresIn - 5)
    tokens.withLock { $0[Self.key(s)] = Token(value: value, expires: .now + .seconds(life)) }
  }

  /// After a 401: forget the token, and take the new challenge (it may name other scopes).
  func invalidate(_ s: RegistrySession, challenge: AuthChallenge?) {
    _ = tokens.withLock { $0.removeValue(forKey: Self.key(s)) }
    if let challenge { setChallenge(challenge, for: s.endpoint.baseURL) }
  }
}

struct TokenResponse: Decodable {
  var token: String?
  var access_token: String?
  var expires_in: Int?
}

extension RegistryClient {
  /// GET /v2/: nil when the registry is open, else its first usable challenge.
  /// Throws when the endpoint cannot be reached at all.
  @discardableResult
  func ping(_ endpoint: RegistryEndpoint) async throws -> AuthChallenge? {
    if let cached = authCache.challenge(endpoint.baseURL) { return cached }
    let resp = try await sendPlain(.GET, endpoint.baseURL + "/v2/", timeout: .seconds(60))
    let challenges = AuthChallenge.parse(resp.headers["WWW-Authenticate"])
    await drain(resp)
    switch resp.status.code {
    case 200..<300:
      authCache.setChallenge(nil, for: endpoint.baseURL)
      return nil
    case 401:
      // Prefer Bearer: it works with every kind of credentials.
      let c = challenges.first { $0.scheme == .bearer } ?? challenges.first
      authCache.setChallenge(c, for: endpoint.baseURL)
      return c
    default:
      throw RegistryError.unexpectedStatus(
        operation: "ping \(endpoint.baseURL)/v2/", status: Int(resp.status.code), detail: "")
    }
  }

  /// The Authorization value for a request of `session`, nil when none is needed.
  func authorization(_ session: RegistrySession) async throws -> String? {
    guard let challenge = try await ping(session.endpoint) else { return nil }
    switch challenge.scheme {
    case .basic:
      return session.credentials?.basicAuthorization
    case .bearer:
      if let t = session.credentials?.registryToken, !t.isEmpty { return "Bearer " + t }
      if let cached = authCache.token(session) { return "Bearer " + cached }
      let (token, expiresIn) = try await fetchToken(challenge, session: session)
      authCache.setToken(token, expiresIn: expiresIn, for: session)
      return "Bearer " + token
    }
  }

  /// Gets a token from the challenge's realm for the session's scopes.
  func fetchToken(_ challenge: AuthChallenge, session: RegistrySession) async throws -> (String, Int) {
    guard let realm = challenge.realm, realm.hasPrefix("http://") || realm.hasPrefix("https://") else {
      throw RegistryError.invalidResponse(
        "\(session.endpoint.baseURL): Bearer challenge without a usable realm")
    }
    let creds = session.credentials
    let resp: HTTPClientResponse
    if let refresh = creds?.identityToken, !refresh.isEmpty {
      var form = [
        ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "berth"),
        ("scope", session.scopes.joined(separator: " ")),
      ]
      if let service = challenge.service { form.append(("service", service)) }
      let body = form.map { Self.formEscape($0.0) + "=" + Self.formEscape($0.1) }.joined(separator: "&")
      var h = HTTPHeaders()
      h.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
      resp = try await sendPlain(.POST, realm, headers: h, body: { .bytes(ByteBuffer(string: body)) })
    } else {
      var query: [(String, String)] = []
      if let service = challenge.service { query.append(("service", service)) }
      for s in session.scopes { query.append(("scope", s)) }
      var h = HTTPHeaders()
      if let basic = creds?.basicAuthorization {
        h.add(name: "Authorization", value: basic)
        if let u = creds?.username { query.append(("account", u)) }
      }
      let sep = realm.contains("?") ? "&" : "?"
      let url = realm + sep + query.map { Self.formEscape($0.0) + "=" + Self.formEscape($0.1) }.joined(separator: "&")
      resp = try await sendPlain(.GET, url, headers: h)
    }
    let bytes = try await collect(resp, limit: 1 << 20)
    guard resp.status.code == 200 else {
      let detail = RegistryErrorBody.summary(bytes)
      if resp.status.code == 401 || resp.status.code == 403 {
        throw RegistryError.unauthorized(
          registry: session.endpoint.registry,
          detail: creds?.username == nil
            ? "the token service refused anonymous access: \(detail)"
            : "incorrect username or password (token service: \(detail))")
      }
      throw RegistryError.tokenFailed(realm: realm, status: Int(resp.status.code), detail: detail)
    }
    guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(bytes)),
      let token = decoded.token ?? decoded.access_token, !token.isEmpty
    else {
      throw RegistryError.tokenFailed(realm: realm, status: 200, detail: "no token in the answer")
    }
    return (token, decoded.expires_in ?? 60)
  }

  /// application/x-www-form-urlencoded escaping (RFC 3986 unreserved kept).
  static func formEscape(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(b))
      default:
        let hex = Array("0123456789ABCDEF".utf8)
        out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
      }
    }
    return out
  }

  /// The credentials for `registry`: those given, else the configured credential store's.
  func resolveCredentials(_ given: RegistryCredentials?, registry: String) throws -> RegistryCredentials? {
    if let given, !given.isEmpty { return given }
    return try configuration.credentialStore?.credentials(for: registry)
  }

  /// The candidate endpoints of `registry` (mirrors first for docker.io). A host allowed
  /// plain HTTP is tried over HTTP first, then HTTPS: a TLS server refuses plain HTTP at
  /// once, while a plain server may wait forever for the end of a TLS hello.
  func endpoints(for registry: String) -> [RegistryEndpoint] {
    var out: [RegistryEndpoint] = []
    for e in configuration.transport.endpoints(for: registry) {
      out.append(e)
      if e.baseURL.hasPrefix("http://"), !e.isMirror {
        out.append(RegistryEndpoint(registry: registry, baseURL: "https://" + e.authority, isMirror: false))
      }
    }
    return out
  }

  /// The endpoints to use, in order: the first that answers its ping, then the untried rest
  /// (pinged only if the first fails later, so a working mirror keeps Docker Hub unasked).
  /// `mirrors: false` skips docker.io's mirrors (push goes to the registry itself).
  func reachableEndpoints(for registry: String, mirrors: Bool = true) async throws -> [RegistryEndpoint] {
    let candidates = endpoints(for: registry).filter { mirrors || !$0.isMirror }
    let cacheKey = registry + (mirrors ? "" : " direct")
    if let e = endpointCache.withLock({ $0[cacheKey] }), let i = candidates.firstIndex(of: e) {
      return Array(candidates[i...])
    }
    var lastError: (any Error)?
    for (i, e) in candidates.enumerated() {
      do {
        try await ping(e)
        endpointCache.withLock { $0[cacheKey] = e }
        return Array(candidates[i...])
      } catch {
        log("registry \(registry): \(e.baseURL) did not answer: \(error)")
        lastError = error
      }
    }
    throw RegistryError.unreachable(
      registry: registry, underlying: lastError.map { "\($0)" } ?? "no endpoint")
  }
}
