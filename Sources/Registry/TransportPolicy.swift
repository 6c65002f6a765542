// Where and how to reach a registry: docker.io → registry-1.docker.io (after any
// registry-mirrors), HTTPS with the system CAs plus certs.d, plain HTTP only for insecure
// registries and loopback hosts.
import Foundation
import NIOSSL

/// One base URL to send the distribution API to.
public struct RegistryEndpoint: Sendable, Hashable, CustomStringConvertible {
  /// The registry as references name it ("docker.io", "127.0.0.1:5000").
  public var registry: String
  /// "https://registry-1.docker.io", "http://127.0.0.1:5000" (no trailing slash).
  public var baseURL: String
  /// A mirror of docker.io (failures fall through to the next endpoint).
  public var isMirror: Bool

  public var description: String { baseURL }
  var isHTTPS: Bool { baseURL.hasPrefix("https://") }
  /// host[:port] of the base URL: the key for certs.d and for tokens.
  var authority: String {
    var s = Substring(baseURL)
    if let r = s.range(of: "://") { s = s[r.upperBound...] }
    if let slash = s.firstIndex(of: "/") { s = s[..<slash] }
    return String(s)
  }
}

public struct TransportPolicy: Sendable {
  /// Hosts (host or host:port) or CIDRs given as `--insecure-registry`.
  public var insecureRegistries: [String]
  /// `registry-mirrors` (URLs); used for docker.io only.
  public var mirrors: [String]
  /// Per-registry certificate directories, searched in order: <dir>/<host[:port]>/.
  public var certsDirectories: [String]
  /// Whether docker.io falls back to Docker Hub itself when every mirror fails (dockerd: yes).
  /// Tests turn it off so that nothing ever leaves the machine.
  public var dockerHubFallback: Bool = true

  public init(
    insecureRegistries: [String] = [], mirrors: [String] = [],
    certsDirectories: [String] = ["/etc/berth/certs.d", "/etc/docker/certs.d"]
  ) {
    self.insecureRegistries = insecureRegistries
    self.mirrors = mirrors
    self.certsDirectories = certsDirectories
  }

  public static let dockerHubAPIHost = "registry-1.docker.io"
  /// The config.json key docker uses for Docker Hub credentials.
  public static let dockerHubCredentialKey = "https://index.docker.io/v1/"

  /// The key of a registry's credentials in config.json.
  public static func credentialKey(for registry: String) -> String {
    registry == "docker.io" || registry == "index.docker.io" ? dockerHubCredentialKey : registry
  }

  /// Endpoints to try, in order: the mirrors (docker.io only), then the registry itself.
  public func endpoints(for registry: String) -> [RegistryEndpoint] {
    var out: [RegistryEndpoint] = []
    if registry == "docker.io" {
      for m in mirrors {
        var url = m
        while url.hasSuffix("/") { url.removeLast() }
        if !url.contains("://") { url = "https://" + url }
        out.append(RegistryEndpoint(registry: registry, baseURL: url, isMirror: true))
      }
      if dockerHubFallback || out.isEmpty {
        out.append(
          RegistryEndpoint(registry: registry, baseURL: "https://" + Self.dockerHubAPIHost, isMirror: false))
      }
      return out
    }
    let scheme = allowsPlainHTTP(registry) ? "http" : "https"
    out.append(RegistryEndpoint(registry: registry, baseURL: scheme + "://" + registry, isMirror: false))
    return out
  }

  /// Plain HTTP is allowed for loopback hosts and hosts listed as insecure.
  public func allowsPlainHTTP(_ authority: String) -> Bool {
    Self.isLoopback(Self.hostPart(authority)) || isListedInsecure(authority)
  }

  /// Whether HTTPS to `authority` skips certificate verification: for insecure registries,
  /// and for loopback hosts unless a certs.d directory gives them a CA to verify against.
  public func skipsVerification(_ authority: String) -> Bool {
    guard allowsPlainHTTP(authority) else { return false }
    if Self.isLoopback(Self.hostPart(authority)), !isListedInsecure(authority) {
      return !certsDirectories.contains { FileManager.default.fileExists(atPath: $0 + "/" + authority) }
    }
    return true
  }

  func isListedInsecure(_ authority: String) -> Bool {
    let host = Self.hostPart(authority)
    return insecureRegistries.contains { entry in
      entry == authority || entry == host || (entry.contains("/") && Self.ipv4(host, inCIDR: entry))
    }
  }

  /// TLS for `authority`: system CAs plus any ca.crt (and *.crt) in its certs.d directory;
  /// client.cert/client.key (or *.cert/*.key) as the client certificate.
  public func tlsConfiguration(for authority: String) throws -> TLSConfiguration {
    var tls = TLSConfiguration.makeClientConfiguration()
    var extraRoots: [NIOSSLCertificate] = []
    for base in certsDirectories {
      let dir = base + "/" + authority
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
        continue  // no directory for this host: the usual case
      }
      for name in names.sorted() {
        let path = dir + "/" + name
        if name.hasSuffix(".crt") {
          extraRoots.append(contentsOf: try NIOSSLCertificate.fromPEMFile(path))
        } else if name.hasSuffix(".cert") {
          let keyPath = dir + "/" + String(name.dropLast(5)) + ".key"
          guard FileManager.default.fileExists(atPath: keyPath) else {
            throw RegistryError.invalidResponse("client certificate \(path) has no key \(keyPath)")
          }
          tls.certificateChain = try NIOSSLCertificate.fromPEMFile(path).map { .certificate($0) }
          tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        }
      }
    }
    if !extraRoots.isEmpty { tls.additionalTrustRoots = [.certificates(extraRoots)] }
    return tls
  }

  // MARK: host helpers

  static func hostPart(_ authority: String) -> String {
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
      return String(authority[authority.index(after: authority.startIndex)..<close])
    }
    if let colon = authority.lastIndex(of: ":"), authority.filter({ $0 == ":" }).count == 1 {
      return String(authority[..<colon])
    }
    return authority
  }

  static func isLoopback(_ host: String) -> Bool {
    if host == "localhost" || host == "::1" { return true }
    return ipv4(host, inCIDR: "127.0.0.0/8")
  }

  static func parseIPv4(_ s: String) -> UInt32? {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var v: UInt32 = 0
    for p in parts {
      guard let b = UInt8(p) else { return nil }
      v = v << 8 | UInt32(b)
    }
    return v
  }

  static func ipv4(_ host: String, inCIDR cidr: String) -> Bool {
    let parts = cidr.split(separator: "/")
    guard parts.count == 2, let net = parseIPv4(String(parts[0])), let bits = Int(parts[1]),
      (0...32).contains(bits), let ip = parseIPv4(host)
    else { return false }
    let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
    return ip & mask == net & mask
  }
}
