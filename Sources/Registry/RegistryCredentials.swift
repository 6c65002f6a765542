// What a client authenticates with: a username and password, an identity (refresh) token
// from `docker login` against an OAuth token service, or a ready registry token.

public struct RegistryCredentials: Sendable, Hashable, CustomStringConvertible {
  public var username: String?
  public var password: String?
  /// OAuth2 refresh token (config.json `identitytoken`); exchanged at the token realm.
  public var identityToken: String?
  /// A bearer token sent as is (X-Registry-Auth `registrytoken`).
  public var registryToken: String?

  public init(
    username: String? = nil, password: String? = nil, identityToken: String? = nil,
    registryToken: String? = nil
  ) {
    self.username = username
    self.password = password
    self.identityToken = identityToken
    self.registryToken = registryToken
  }

  public var isEmpty: Bool {
    (username ?? "").isEmpty && (password ?? "").isEmpty && (identityToken ?? "").isEmpty
      && (registryToken ?? "").isEmpty
  }

  /// `Basic base64(user:password)`, nil without a username.
  var basicAuthorization: String? {
    guard let u = username, !u.isEmpty else { return nil }
    return "Basic " + Base64.encode(Array("\(u):\(password ?? "")".utf8))
  }

  /// Never prints secrets.
  public var description: String {
    "RegistryCredentials(username: \(username ?? "-"), password: \(password == nil ? "-" : "***"))"
  }
}

/// Base64 (standard and URL alphabets) without Foundation's Data round trips.
enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i < bytes.count {
      let b0 = bytes[i]
      let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
      let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
      out.append(alphabet[Int(b0 >> 2)])
      out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
      out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0xf) << 2 | b2 >> 6)] : UInt8(ascii: "="))
      out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes standard or URL-safe base64, padded or not; nil on any other character.
  static func decode(_ s: String) -> [UInt8]? {
    var bits: UInt32 = 0
    var count = 0
    var out: [UInt8] = []
    for c in s.utf8 {
      let v: UInt8
      switch c {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - UInt8(ascii: "A")
      case UInt8(ascii: "a")...UInt8(ascii: "z"): v = c - UInt8(ascii: "a") + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0") + 52
      case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
      case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
      case UInt8(ascii: "="), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
      default: return nil
      }
      bits = bits << 6 | UInt32(v)
      count += 6
      if count >= 8 {
        count -= 8
        out.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
      }
    }
    return out
  }
}
