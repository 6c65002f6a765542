import LinuxOS

/// The CLI's `--tls`, `--tlsverify`, `--tlscacert`, `--tlscert` and `--tlskey` (nil: not given).
public struct TLSFlags: Sendable, Equatable {
  public var tls: Bool?
  public var verify: Bool?
  public var caCert: String?
  public var cert: String?
  public var key: String?

  public init(tls: Bool? = nil, verify: Bool? = nil, caCert: String? = nil, cert: String? = nil, key: String? = nil) {
    self.tls = tls
    self.verify = verify
    self.caCert = caCert
    self.cert = cert
    self.key = key
  }

  /// Docker's rules: `--tlsverify` (default: `DOCKER_TLS_VERIFY` non-empty) implies TLS;
  /// `--tls` (default: `DOCKER_TLS` non-empty) is TLS without verifying the daemon. Files
  /// default to ca.pem, cert.pem and key.pem in `DOCKER_CERT_PATH` (else ~/.docker); a
  /// default client certificate that does not exist is not sent. nil: no TLS.
  public func options(environment: [String: String]) -> TLSOptions? {
    let verify = self.verify ?? !(environment["DOCKER_TLS_VERIFY"] ?? "").isEmpty
    let tls = verify || (self.tls ?? !(environment["DOCKER_TLS"] ?? "").isEmpty)
    guard tls else { return nil }
    let dir = Self.certDirectory(environment)
    let ca = caCert ?? dir + "/ca.pem"
    let cert = self.cert ?? Self.existing(dir + "/cert.pem")
    let key = self.key ?? Self.existing(dir + "/key.pem")
    return TLSOptions(verify: verify, caFile: ca, certFile: cert, keyFile: key)
  }

  private static func existing(_ path: String) -> String? { Files.exists(path) ? path : nil }

  static func certDirectory(_ environment: [String: String]) -> String {
    if let path = environment["DOCKER_CERT_PATH"], !path.isEmpty { return path }
    return (environment["HOME"] ?? "") + "/.docker"
  }
}
