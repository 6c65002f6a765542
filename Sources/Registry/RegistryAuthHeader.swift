// The X-Registry-Auth header of the Engine API: base64url(JSON {username, password, auth,
// serveraddress, identitytoken, registrytoken}), sent by the docker CLI and SDKs on pull and push.
import FoundationEssentials

public struct RegistryAuthHeader: Sendable, Hashable, Codable {
  public var username: String?
  public var password: String?
  /// base64("user:password"), as config.json stores it; some clients send only this.
  public var auth: String?
  public var email: String?
  public var serveraddress: String?
  public var identitytoken: String?
  public var registrytoken: String?

  public init(
    username: String? = nil, password: String? = nil, serveraddress: String? = nil,
    identitytoken: String? = nil, registrytoken: String? = nil
  ) {
    self.username = username
    self.password = password
    self.serveraddress = serveraddress
    self.identitytoken = identitytoken
    self.registrytoken = registrytoken
  }

  /// Decodes the header value. An empty value or "{}" means no credentials (nil).
  /// dockerd accepts both base64 alphabets, padded or not; so does this.
  public static func decode(_ value: String) throws(RegistryError) -> RegistryAuthHeader? {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return nil }
    guard let json = Base64.decode(trimmed) else {
      throw .invalidAuthHeader("not base64")
    }
    let decoded: RegistryAuthHeader
    do {
      decoded = try JSONDecoder().decode(RegistryAuthHeader.self, from: Data(json))
    } catch {
      throw .invalidAuthHeader("not the JSON of an auth config: \(error)")
    }
    return decoded.credentials.isEmpty ? nil : decoded
  }

  /// The header value (base64url JSON), as the docker CLI sends it.
  public func encoded() throws -> String {
    let json = try JSONEncoder().encode(self)
    return Base64.encode(Array(json)).replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
  }

  /// The credentials it carries; `auth` fills in a missing username/password.
  public var credentials: RegistryCredentials {
    var user = username
    var pass = password
    if (user ?? "").isEmpty, let a = auth, let raw = Base64.decode(a) {
      let s = String(decoding: raw, as: UTF8.self)
      if let colon = s.firstIndex(of: ":") {
        user = String(s[..<colon])
        pass = String(s[s.index(after: colon)...])
      }
    }
    return RegistryCredentials(
      username: user, password: pass, identityToken: identitytoken, registryToken: registrytoken)
  }
}
