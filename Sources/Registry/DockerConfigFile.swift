// ~/.docker/config.json ($DOCKER_CONFIG/config.json): `auths` (base64 "user:password" in
// `auth`, or an `identitytoken`), `credsStore` (one helper for all) and `credHelpers`
// (a helper per registry). Keys Berth does not know are kept as they are on write.
import Foundation

public struct DockerConfigFile: Sendable {
  public var path: String
  /// Where helpers are looked up (PATH when nil).
  public var helperSearchPath: [String]?

  public init(path: String, helperSearchPath: [String]? = nil) {
    self.path = path
    self.helperSearchPath = helperSearchPath
  }

  /// $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json.
  public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty { return dir + "/config.json" }
    return (environment["HOME"] ?? "/root") + "/.docker/config.json"
  }

  struct AuthEntry: Codable {
    var auth: String?
    var username: String?
    var password: String?
    var identitytoken: String?
    var registrytoken: String?
  }

  struct Contents: Decodable {
    var auths: [String: AuthEntry]?
    var credsStore: String?
    var credHelpers: [String: String]?
  }

  func load() throws -> Contents {
    guard let data = FileManager.default.contents(atPath: path) else { return Contents() }
    if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a }) { return Contents() }
    do {
      return try JSONDecoder().decode(Contents.self, from: data)
    } catch {
      throw RegistryError.invalidResponse("\(path) is not a valid docker config file: \(error)")
    }
  }

  /// The helper that holds `registry`'s credentials, if any (credHelpers, then credsStore).
  public func helper(for registry: String) throws -> CredentialHelper? {
    let c = try load()
    let key = TransportPolicy.credentialKey(for: registry)
    let name = c.credHelpers?[key] ?? c.credHelpers?[registry] ?? c.credsStore
    guard let name, !name.isEmpty else { return nil }
    return CredentialHelper(name: name, searchPath: helperSearchPath)
  }

  /// Credentials for `registry` ("docker.io", "host:5000"), nil when none are stored.
  public func credentials(for registry: String) throws -> RegistryCredentials? {
    let key = TransportPolicy.credentialKey(for: registry)
    if let helper = try helper(for: registry) { return try helper.get(key) }
    let auths = try load().auths ?? [:]
    let entry = auths[key] ?? auths.first { Self.hostname(of: $0.key) == Self.hostname(of: key) }?.value
    guard let entry else { return nil }
    var creds = RegistryCredentials(
      username: entry.username, password: entry.password, identityToken: entry.identitytoken,
      registryToken: entry.registrytoken)
    if let a = entry.auth, !a.isEmpty {
      guard let raw = Base64.decode(a), let s = String(bytes: raw, encoding: .utf8),
        let colon = s.firstIndex(of: ":")
      else { throw RegistryError.invalidResponse("\(path): the auth of \(key) is not base64 user:password") }
      creds.username = String(s[..<colon])
      creds.password = String(s[s.index(after: colon)...])
    }
    return creds.isEmpty ? nil : creds
  }

  /// Saves credentials as `docker login` does: into the helper if one is configured
  /// (leaving an empty `auths` entry), else base64 into `auths`.
  public func store(_ credentials: RegistryCredentials, for registry: String) throws {
    let key = TransportPolicy.credentialKey(for: registry)
    if let helper = try helper(for: registry) {
      try helper.store(credentials, for: key)
      try rewrite { json in
        var auths = json["auths"] as? [String: Any] ?? [:]
        auths[key] = [String: Any]()
        json["auths"] = auths
      }
      return
    }
    try rewrite { json in
      var auths = json["auths"] as? [String: Any] ?? [:]
      var entry: [String: Any] = [:]
      let user = credentials.username ?? ""
      let secret = credentials.identityToken == nil ? (credentials.password ?? "") : ""
      entry["auth"] = Base64.encode(Array("\(user):\(secret)".utf8))
      if let t = credentials.identityToken { entry["identitytoken"] = t }
      auths[key] = entry
      json["auths"] = auths
    }
  }

  /// Removes `registry`'s credentials (`docker logout`).
  public func erase(_ registry: String) throws {
    let key = TransportPolicy.credentialKey(for: registry)
    if let helper = try helper(for: registry) { try helper.erase(key) }
    guard FileManager.default.fileExists(atPath: path) else { return }
    try rewrite { json in
      var auths = json["auths"] as? [String: Any] ?? [:]
      auths[key] = nil
      json["auths"] = auths
    }
  }

  /// Reads the file as untyped JSON, applies `change`, writes it back atomically (0600).
  func rewrite(_ change: (inout [String: Any]) -> Void) throws {
    var json: [String: Any] = [:]
    if let data = FileManager.default.contents(atPath: path), !data.isEmpty {
      guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw RegistryError.invalidResponse("\(path) is not a JSON object")
      }
      json = obj
    }
    change(&json)
    let data = try JSONSerialization.data(
      withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    let dir = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let tmp = path + ".tmp-\(getpid())"
    guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600])
    else { throw RegistryError.invalidResponse("cannot write \(tmp)") }
    guard rename(tmp, path) == 0 else {
      let e = errno
      unlink(tmp)
      throw RegistryError.invalidResponse("cannot rename \(tmp) to \(path): errno \(e)")
    }
  }

  /// "https://host:5000/v1/" → "host:5000", as docker matches auths keys.
  static func hostname(of key: String) -> String {
    var s = Substring(key)
    if let r = s.range(of: "://") { s = s[r.upperBound...] }
    if let slash = s.firstIndex(of: "/") { s = s[..<slash] }
    return String(s)
  }
}
