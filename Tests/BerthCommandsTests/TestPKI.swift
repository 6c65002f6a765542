// A throwaway PKI made with the openssl CLI, as a user makes one for a TLS daemon: a CA,
// a server certificate for IP 127.0.0.1 only (so `localhost` is a wrong name) and a
// client certificate, named as DOCKER_CERT_PATH expects (ca.pem, cert.pem, key.pem).
import Foundation

struct TestPKI {
  static let openssl = "/usr/bin/openssl"
  static var available: Bool { FileManager.default.isExecutableFile(atPath: openssl) }

  let dir: String
  var ca: String { dir + "/ca.pem" }
  var serverCert: String { dir + "/server-cert.pem" }
  var serverKey: String { dir + "/server-key.pem" }
  var clientCert: String { dir + "/cert.pem" }
  var clientKey: String { dir + "/key.pem" }

  static let config = """
    [req]
    distinguished_name = dn
    [dn]
    [ca]
    basicConstraints = critical, CA:TRUE
    keyUsage = critical, keyCertSign, cRLSign
    [server]
    extendedKeyUsage = serverAuth
    subjectAltName = IP:127.0.0.1
    [client]
    extendedKeyUsage = clientAuth

    """

  /// Makes the CA and the server's and a client's certificates in `dir` (created).
  init(dir: String, name: String) throws {
    self.dir = dir
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let config = dir + "/openssl.cnf"
    try Self.config.write(toFile: config, atomically: true, encoding: .utf8)
    try Self.run(
      "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
      dir + "/ca-key.pem", "-out", ca, "-days", "2", "-subj", "/CN=\(name) CA", "-config", config, "-extensions", "ca")
    for (cert, key, section) in [(serverCert, serverKey, "server"), (clientCert, clientKey, "client")] {
      try Self.run(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out",
        cert + ".csr", "-subj", "/CN=\(name) \(section)", "-config", config)
      try Self.run(
        "x509", "-req", "-in", cert + ".csr", "-CA", ca, "-CAkey", dir + "/ca-key.pem", "-set_serial",
        String(UInt32.random(in: 1...UInt32.max)), "-days", "2", "-extfile", config, "-extensions", section, "-out",
        cert)
    }
  }

  private static func run(_ arguments: String...) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: openssl)
    process.arguments = arguments
    let log = Pipe()
    process.standardOutput = log
    process.standardError = log
    try process.run()
    let output = log.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw PKIError(description: "openssl \(arguments): \(String(decoding: output, as: UTF8.self))")
    }
  }
}

struct PKIError: Error, CustomStringConvertible {
  let description: String
}
