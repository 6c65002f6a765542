// A throwaway PKI made with the openssl CLI, as a user would make one for dockerd: a CA,
// a server certificate for 127.0.0.1/localhost and client certificates signed by the CA.
import Foundation

struct TestCertificates {
  static let openssl = "/usr/bin/openssl"
  static var missing: String? {
    FileManager.default.isExecutableFile(atPath: openssl) ? nil : "needs \(openssl) (scripts/install-deps.sh)"
  }

  /// The directory holding ca.pem (with ca-key.pem), cert.pem and key.pem (a client's).
  let dir: String
  var ca: String { dir + "/ca.pem" }
  var caKey: String { dir + "/ca-key.pem" }
  var serverCert: String { dir + "/server-cert.pem" }
  var serverKey: String { dir + "/server-key.pem" }
  var clientCert: String { dir + "/cert.pem" }
  var clientKey: String { dir + "/key.pem" }

  static let extensions = """
    [req]
    distinguished_name = dn
    [dn]
    [ca]
    basicConstraints = critical, CA:TRUE
    keyUsage = critical, keyCertSign, cRLSign
    subjectKeyIdentifier = hash
    [server]
    basicConstraints = CA:FALSE
    keyUsage = critical, digitalSignature, keyEncipherment
    extendedKeyUsage = serverAuth
    subjectAltName = IP:127.0.0.1, DNS:localhost
    authorityKeyIdentifier = keyid
    [client]
    basicConstraints = CA:FALSE
    keyUsage = critical, digitalSignature
    extendedKeyUsage = clientAuth
    authorityKeyIdentifier = keyid

    """

  /// Makes the CA, the server's and a client's certificate in `dir` (which must exist).
  init(dir: String, name: String) throws {
    self.dir = dir
    let config = dir + "/openssl.cnf"
    try Self.extensions.write(toFile: config, atomically: true, encoding: .utf8)
    try Self.openssl(
      "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", caKey,
      "-out", ca, "-days", "2", "-subj", "/CN=\(name) CA", "-config", config, "-extensions", "ca")
    try issue(cert: serverCert, key: serverKey, subject: "/CN=localhost", extensions: "server", config: config)
    try issue(cert: clientCert, key: clientKey, subject: "/CN=\(name) client", extensions: "client", config: config)
  }

  /// A new key and a certificate for it signed by this CA.
  func issue(cert: String, key: String, subject: String, extensions: String, config: String) throws {
    let request = cert + ".csr"
    try Self.openssl(
      "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out",
      request, "-subj", subject, "-config", config)
    try Self.openssl(
      "x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-set_serial",
      String(UInt32.random(in: 1...UInt32.max)),
      "-days", "2", "-extfile", config, "-extensions", extensions, "-out", cert)
    try? FileManager.default.removeItem(atPath: request)
  }

  private static func openssl(_ args: String...) throws {
    let (rc, out) = try Integration.run([openssl] + args)
    guard rc == 0 else { throw IntegrationError("openssl \(args.joined(separator: " ")): \(out)") }
  }
}
