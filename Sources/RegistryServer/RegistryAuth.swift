// Who may do what: a request needs `ping` (GET /v2/), `catalog`, or actions (pull, push,
// delete) on one repository. An authenticator answers nil (allowed) or the error to send
// (401 with its WWW-Authenticate challenge, or 403).
import CCrypt
import ContentStore
import Foundation
import NIOConcurrencyHelpers

public enum RegistryAccess: Sendable, Equatable {
  case ping
  case catalog
  case repository(String, actions: [String])
}

public protocol RegistryAuthenticator: Sendable {
  func check(authorization: String?, access: RegistryAccess) -> RegistryError?
}

/// Basic auth against an htpasswd file of bcrypt lines (`htpasswd -B`). Verified
/// credentials are remembered (bcrypt costs milliseconds; clients send them on every request).
public final class HtpasswdAuthenticator: RegistryAuthenticator {
  let users: [String: String]
  let realm: String
  private let verified = NIOLockedValueBox<Set<String>>([])

  public init(path: String, realm: String = "berth-registry") throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var users: [String: String] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") else { continue }
      let hash = String(trimmed[trimmed.index(after: colon)...])
      guard hash.hasPrefix("$2y$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2a$") else {
        registryLog("htpasswd \(path): user \(trimmed[..<colon]) skipped: only bcrypt lines (htpasswd -B) are accepted")
        continue
      }
      users[String(trimmed[..<colon])] = hash
    }
    self.users = users
    self.realm = realm
  }

  public func check(authorization: String?, access: RegistryAccess) -> RegistryError? {
    let challenge = "Basic realm=\"\(realm)\""
    guard let authorization, authorization.lowercased().hasPrefix("basic ") else {
      return .unauthorized(challenge: challenge)
    }
    if verified.withLockedValue({ $0.contains(authorization) }) { return nil }
    let encoded = authorization.dropFirst(6).trimmingCharacters(in: .whitespaces)
    guard let decoded = Data(base64Encoded: encoded).map({ String(decoding: $0, as: UTF8.self) }),
      let colon = decoded.firstIndex(of: ":")
    else { return .unauthorized(challenge: challenge, "malformed basic credentials") }
    let user = String(decoded[..<colon])
    let password = String(decoded[decoded.index(after: colon)...])
    guard let hash = users[user], Self.bcryptMatches(password: password, hash: hash) else {
      return .unauthorized(challenge: challenge, "wrong user name or password")
    }
    verified.withLockedValue { set in
      if set.count > 1024 { set.removeAll() }
      set.insert(authorization)
    }
    return nil
  }

  /// libxcrypt's crypt_r with the stored hash as the setting; equal output means the password matches.
  static func bcryptMatches(password: String, hash: String) -> Bool {
    let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
    data.initialize(to: crypt_data())
    defer {
      data.deinitialize(count: 1)
      data.deallocate()
    }
    guard let out = crypt_r(password, hash, data) else { return false }
    let computed = Array(String(cString: out).utf8)
    let stored = Array(hash.utf8)
    guard computed.count == stored.count else { return false }
    return zip(computed, stored).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
  }
}

/// Where clients get tokens and how they are checked. The registry verifies JWTs signed
/// with HS256 under `key` (a secret shared with the token service): `exp`/`nbf`, `iss` and
/// `aud` (when configured here) and the `access` claim, as distribution's token auth:
/// `[{"type":"repository","name":"a/b","actions":["pull","push"]}]`.
public struct TokenAuthConfiguration: Sendable {
  public var realm: String
  public var service: String
  public var issuer: String?
  public var key: [UInt8]

  public init(realm: String, service: String, issuer: String? = nil, key: [UInt8]) {
    self.realm = realm
    self.service = service
    self.issuer = issuer
    self.key = key
  }
}

public final class TokenAuthenticator: RegistryAuthenticator {
  let configuration: TokenAuthConfiguration

  /// A JSON number as Foundation hands it over (Int, Double or NSNumber).
  static func number(_ value: Any?) -> Double? {
    switch value {
    case let d as Double: return d
    case let i as Int: return Double(i)
    case let n as NSNumber: return n.doubleValue
    default: return nil
    }
  }

  public init(_ configuration: TokenAuthConfiguration) { self.configuration = configuration }

  func challenge(_ access: RegistryAccess, error: String? = nil) -> String {
    var c = "Bearer realm=\"\(configuration.realm)\",service=\"\(configuration.service)\""
    switch access {
    case .ping: break
    case .catalog: c += ",scope=\"registry:catalog:*\""
    case .repository(let name, let actions): c += ",scope=\"repository:\(name):\(actions.joined(separator: ","))\""
    }
    if let error { c += ",error=\"\(error)\"" }
    return c
  }

  public func check(authorization: String?, access: RegistryAccess) -> RegistryError? {
    guard let authorization, authorization.lowercased().hasPrefix("bearer ") else {
      return .unauthorized(challenge: challenge(access))
    }
    let token = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
    guard let claims = RegistryToken.verify(token, key: configuration.key) else {
      return .unauthorized(challenge: challenge(access, error: "invalid_token"), "the token's signature is invalid")
    }
    let now = Double(time(nil))
    if let exp = Self.number(claims["exp"]), exp < now {
      return .unauthorized(challenge: challenge(access, error: "invalid_token"), "the token expired")
    }
    if let nbf = Self.number(claims["nbf"]), nbf > now + 60 {
      return .unauthorized(challenge: challenge(access, error: "invalid_token"), "the token is not valid yet")
    }
    if let issuer = configuration.issuer, claims["iss"] as? String != issuer {
      return .unauthorized(challenge: challenge(access, error: "invalid_token"), "the token's issuer is not \(issuer)")
    }
    let audiences = (claims["aud"] as? [String]) ?? [(claims["aud"] as? String)].compactMap { $0 }
    guard audiences.contains(configuration.service) else {
      return .unauthorized(
        challenge: challenge(access, error: "invalid_token"), "the token is not for \(configuration.service)")
    }
    let granted = (claims["access"] as? [[String: Any]]) ?? []
    func allows(type: String, name: String, action: String) -> Bool {
      granted.contains { entry in
        entry["type"] as? String == type && entry["name"] as? String == name
          && ((entry["actions"] as? [String]) ?? []).contains { $0 == action || $0 == "*" }
      }
    }
    switch access {
    case .ping: return nil
    case .catalog:
      if allows(type: "registry", name: "catalog", action: "*") { return nil }
    case .repository(let name, let actions):
      if actions.allSatisfy({ allows(type: "repository", name: name, action: $0) }) { return nil }
    }
    return .unauthorized(
      challenge: challenge(access, error: "insufficient_scope"), "the token does not grant this access")
  }
}

/// HS256 JSON Web Tokens: verification for the registry, issuing for a token service
/// (tests run one in-process).
public enum RegistryToken {
  /// A token granting `access` (type, name, actions) to `service`, valid `lifetime` seconds.
  public static func issue(
    key: [UInt8], service: String, issuer: String = "berth-token", subject: String = "",
    access: [(type: String, name: String, actions: [String])], lifetime: Int = 300
  ) -> String {
    let now = Int(time(nil))
    let claims: [String: Any] = [
      "iss": issuer, "sub": subject, "aud": service, "iat": now, "nbf": now - 5, "exp": now + lifetime,
      "access": access.map { ["type": $0.type, "name": $0.name, "actions": $0.actions] as [String: Any] },
    ]
    let header = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
    // Plain strings, numbers and arrays always serialize.
    let payload = base64URL([UInt8]((try? JSONSerialization.data(withJSONObject: claims)) ?? Data()))
    let signed = header + "." + payload
    return signed + "." + base64URL(hmacSHA256(key: key, Array(signed.utf8)))
  }

  /// The claims of a token whose HS256 signature under `key` is right; nil otherwise.
  static func verify(_ token: String, key: [UInt8]) -> [String: Any]? {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let headerBytes = decodeBase64URL(parts[0]), let payload = decodeBase64URL(parts[1]),
      let signature = decodeBase64URL(parts[2])
    else { return nil }
    guard let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
      header["alg"] as? String == "HS256"
    else { return nil }
    let expected = hmacSHA256(key: key, Array("\(parts[0]).\(parts[1])".utf8))
    guard expected.count == signature.count,
      zip(expected, signature).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0
    else { return nil }
    return (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
  }

  /// RFC 2104 over the store's SHA-256.
  static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
    var k = key.count > 64 ? digestBytes(key) : key
    k += [UInt8](repeating: 0, count: 64 - k.count)
    let inner = digestBytes(k.map { $0 ^ 0x36 } + message)
    return digestBytes(k.map { $0 ^ 0x5c } + inner)
  }

  static func digestBytes(_ bytes: [UInt8]) -> [UInt8] {
    let hex = Array(SHA256Hasher.digest(bytes).encoded.utf8)
    return stride(from: 0, to: hex.count, by: 2).compactMap {
      UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)
    }
  }

  static func base64URL(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  static func decodeBase64URL(_ text: Substring) -> [UInt8]? {
    var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s += "=" }
    return Data(base64Encoded: s).map { [UInt8]($0) }
  }
}
