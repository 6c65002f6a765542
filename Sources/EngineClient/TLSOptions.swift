/// How the CLI speaks TLS to a tcp:// daemon (docker's `--tls*` flags and `DOCKER_TLS*`).
public struct TLSOptions: Sendable, Equatable {
  /// Verify the daemon's certificate against `caFile` and its name (`--tlsverify`);
  /// false is docker's `--tls`: encrypt, trust any server.
  public var verify: Bool
  public var caFile: String?
  /// The client certificate (chain) and key presented to the daemon.
  public var certFile: String?
  public var keyFile: String?

  public init(verify: Bool, caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
    self.verify = verify
    self.caFile = caFile
    self.certFile = certFile
    self.keyFile = keyFile
  }
}
