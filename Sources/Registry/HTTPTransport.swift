// Sending one request: TLS for the target host, the session's Authorization, one retry
// after a 401 (with the fresh challenge), redirects followed without leaking credentials.
import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOSSL

/// A request body that can be produced again (for the retry after a 401, or a redirect).
typealias BodyFactory = @Sendable () throws -> HTTPClientRequest.Body

extension RegistryClient {
  /// The TLS configuration for an https URL's host, read from certs.d once per client.
  func tls(for url: String) throws -> TLSConfiguration? {
    guard url.hasPrefix("https://") else { return nil }
    let authority = RegistryEndpoint(registry: "", baseURL: url, isMirror: false).authority
    if let cached = tlsCache.withLock({ $0[authority] }) { return cached }
    var tls = try configuration.transport.tlsConfiguration(for: authority)
    if configuration.transport.skipsVerification(authority) { tls.certificateVerification = .none }
    tlsCache.withLock { $0[authority] = tls }
    return tls
  }

  /// Sends without any registry auth (pings, token requests).
  func sendPlain(
    _ method: HTTPMethod, _ url: String, headers: HTTPHeaders = [:], body: BodyFactory? = nil,
    timeout: TimeAmount = .seconds(60)
  ) async throws -> HTTPClientResponse {
    var req = HTTPClientRequest(url: url)
    req.method = method
    req.headers = headers
    req.headers.replaceOrAdd(name: "User-Agent", value: configuration.userAgent)
    req.tlsConfiguration = try tls(for: url)
    if let body { req.body = try body() }
    return try await http.execute(req, timeout: timeout)
  }

  /// Sends on behalf of `session`: authenticated, retried once after a 401, redirects followed.
  func send(
    _ session: RegistrySession, _ method: HTTPMethod, _ url: String, headers: HTTPHeaders = [:],
    body: BodyFactory? = nil, timeout: TimeAmount = .seconds(300)
  ) async throws -> HTTPClientResponse {
    var url = url
    var retriedAuth = false
    var redirects = 0
    while true {
      var h = headers
      let onRegistry = url.hasPrefix(session.endpoint.baseURL + "/")
      if onRegistry, let auth = try await authorization(session) {
        h.replaceOrAdd(name: "Authorization", value: auth)
      }
      let resp = try await sendPlain(method, url, headers: h, body: body, timeout: timeout)
      if resp.status == .unauthorized, onRegistry, !retriedAuth {
        retriedAuth = true
        let challenges = AuthChallenge.parse(resp.headers["WWW-Authenticate"])
        await drain(resp)
        authCache.invalidate(session, challenge: challenges.first { $0.scheme == .bearer } ?? challenges.first)
        continue
      }
      if [301, 302, 303, 307, 308].contains(resp.status.code), redirects < 10,
        let location = resp.headers.first(name: "Location")
      {
        redirects += 1
        await drain(resp)
        url = Self.resolve(location, against: url)
        continue
      }
      return resp
    }
  }

  /// Reads and drops a response body (so the connection can be reused).
  func drain(_ resp: HTTPClientResponse) async {
    do {
      for try await _ in resp.body {}
    } catch {
      log("dropping a response body: \(error) (the connection is closed instead of reused)")
    }
  }

  /// The body as bytes (manifests, tokens, error documents), at most `limit` bytes.
  func collect(_ resp: HTTPClientResponse, limit: Int = 8 << 20) async throws -> [UInt8] {
    var buf = try await resp.body.collect(upTo: limit)
    return buf.readBytes(length: buf.readableBytes) ?? []
  }

  /// Throws the registry's error for a non-success answer to `operation`.
  func failure(_ resp: HTTPClientResponse, _ operation: String, session: RegistrySession) async
    -> RegistryError
  {
    let body = (try? await collect(resp, limit: 64 << 10)) ?? []  // the status alone still says enough
    let detail = RegistryErrorBody.summary(body)
    switch resp.status.code {
    case 401, 403:
      return .unauthorized(
        registry: session.endpoint.registry,
        detail: detail.isEmpty ? "authentication required" : detail)
    case 404: return .notFound("\(operation): \(detail)")
    default: return .unexpectedStatus(operation: operation, status: Int(resp.status.code), detail: detail)
    }
  }

  /// An absolute URL for a Location header (absolute, or a path on the same host).
  static func resolve(_ location: String, against base: String) -> String {
    if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
    var origin = Substring(base)
    if let r = origin.range(of: "://") {
      let afterScheme = origin[r.upperBound...]
      if let slash = afterScheme.firstIndex(of: "/") { origin = origin[..<slash] }
    }
    return String(origin) + (location.hasPrefix("/") ? location : "/" + location)
  }
}
