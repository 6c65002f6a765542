// Errors of the distribution client. Each says what failed, on what, and what to do.
import FoundationEssentials
import OCI

public enum RegistryError: Error, CustomStringConvertible, Sendable {
  /// 401/403 after authenticating (or with nothing to authenticate with).
  case unauthorized(registry: String, detail: String)
  /// The token service refused the credentials or answered something unusable.
  case tokenFailed(realm: String, status: Int, detail: String)
  /// A manifest or blob the registry does not have.
  case notFound(String)
  /// Any other unexpected HTTP answer.
  case unexpectedStatus(operation: String, status: Int, detail: String)
  /// The registry served bytes that do not match the digest that names them.
  case digestMismatch(what: String, expected: Digest, actual: Digest)
  case sizeMismatch(what: String, expected: Int64, actual: Int64)
  case unsupportedMediaType(String, reference: String)
  case noMatchingPlatform(reference: String, platform: String, available: [String])
  case invalidResponse(String)
  /// The connection kept failing while fetching `what`.
  case transferFailed(what: String, attempts: Int, underlying: String)
  case unreachable(registry: String, underlying: String)
  case invalidAuthHeader(String)

  public var description: String {
    switch self {
    case .unauthorized(let r, let d):
      return "unauthorized: \(d) (registry \(r)); log in with `berth login \(r)` or check the credentials"
    case .tokenFailed(let realm, let s, let d):
      return "authentication failed: the token service \(realm) answered \(s): \(d)"
    case .notFound(let w): return "not found: \(w)"
    case .unexpectedStatus(let op, let s, let d):
      return "\(op): registry answered HTTP \(s)\(d.isEmpty ? "" : ": " + d)"
    case .digestMismatch(let w, let e, let a):
      return
        "\(w) failed verification: expected digest \(e), got \(a); the registry served corrupt data, nothing was stored"
    case .sizeMismatch(let w, let e, let a):
      return "\(w) failed verification: expected \(e) bytes, got \(a); nothing was stored"
    case .unsupportedMediaType(let t, let r): return "\(r): unsupported manifest media type \(t)"
    case .noMatchingPlatform(let r, let p, let a):
      return
        "no matching manifest for \(p) in the manifest list entries of \(r) (available: \(a.joined(separator: ", ")))"
    case .invalidResponse(let d): return "invalid registry response: \(d)"
    case .transferFailed(let w, let n, let u):
      return "\(w): transfer failed after \(n) attempts: \(u)"
    case .unreachable(let r, let u): return "registry \(r) is unreachable: \(u)"
    case .invalidAuthHeader(let d): return "invalid X-Registry-Auth header: \(d)"
    }
  }
}

/// The JSON error body of the distribution spec: {"errors":[{"code","message","detail"}]}.
struct RegistryErrorBody: Decodable {
  struct Entry: Decodable {
    var code: String?
    var message: String?
  }
  var errors: [Entry]?

  /// "CODE: message; …", or the raw text (truncated) when it is not that JSON.
  static func summary(_ bytes: [UInt8]) -> String {
    if let body = try? JSONDecoder().decode(RegistryErrorBody.self, from: Data(bytes)), let e = body.errors,
      !e.isEmpty
    {
      return e.map { [$0.code?.lowercased(), $0.message].compactMap { $0 }.joined(separator: ": ") }
        .joined(separator: "; ")
    }
    return String(decoding: bytes.prefix(300), as: UTF8.self)
  }
}
