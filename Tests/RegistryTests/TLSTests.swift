// HTTPS: a docker-registry with a certificate from a test CA and client-certificate auth;
// the client trusts the CA and presents its certificate only through certs.d.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

/// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
func makeTestPKI(_ dir: String) throws {
  func sh(_ args: String...) throws { try run(Array(args)) }
  try sh(
    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/ca.key", "-out",
    "\(dir)/ca.crt", "-days", "1", "-subj", "/CN=berth-test-ca")
  for (name, ext) in [("server", "subjectAltName=IP:127.0.0.1"), ("client", "extendedKeyUsage=clientAuth")] {
    try sh(
      "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/\(name).key", "-out",
      "\(dir)/\(name).csr", "-subj", "/CN=berth-test-\(name)")
    try ext.write(toFile: "\(dir)/\(name).ext", atomically: true, encoding: .utf8)
    try sh(
      "openssl", "x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", "\(dir)/ca.crt", "-CAkey",
      "\(dir)/ca.key", "-CAcreateserial", "-out", "\(dir)/\(name).crt", "-days", "1", "-extfile",
      "\(dir)/\(name).ext")
  }
}

@Suite(.enabled(if: haveTools && isRoot, "needs root, docker-registry, skopeo, htpasswd, openssl"))
struct TLSTests {
  @Test func httpsWithCertsDirCAAndClientCertificate() async throws {
    try await withTempDir { dir in
      try makeTestPKI(dir)
      let reg = try TestRegistry(
        dir: dir + "/reg", tls: (cert: dir + "/server.crt", key: dir + "/server.key", clientCA: dir + "/ca.crt"))
      defer { reg.stop() }
      // Seed over plain HTTP is impossible now: skopeo with the client certificate.
      let certsForSkopeo = dir + "/skopeo-certs"
      try FileManager.default.createDirectory(atPath: certsForSkopeo, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: dir + "/client.crt", toPath: certsForSkopeo + "/client.cert")
      try FileManager.default.copyItem(atPath: dir + "/client.key", toPath: certsForSkopeo + "/client.key")
      try FileManager.default.copyItem(atPath: dir + "/ca.crt", toPath: certsForSkopeo + "/ca.crt")
      let b = try OCILayoutBuilder(dir: dir + "/layout")
      let m = try b.addImage([try b.addLayer(["tls": Data("secure".utf8)])])
      try b.tag(m, "v1")
      try run([
        "skopeo", "copy", "--quiet", "--dest-cert-dir", certsForSkopeo, "oci:\(dir)/layout:v1",
        "docker://\(reg.host)/sec/app:v1",
      ])

      // certs.d/<host:port>/: ca.crt to verify the server, client.cert + client.key to present.
      let certsD = dir + "/certs.d"
      let hostDir = certsD + "/" + reg.host
      try FileManager.default.createDirectory(atPath: hostDir, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: dir + "/ca.crt", toPath: hostDir + "/ca.crt")
      try FileManager.default.copyItem(atPath: dir + "/client.crt", toPath: hostDir + "/client.cert")
      try FileManager.default.copyItem(atPath: dir + "/client.key", toPath: hostDir + "/client.key")
      var conf = RegistryClientConfiguration()
      conf.transport.certsDirectories = [dir + "/none", certsD]
      conf.connectTimeout = .seconds(2)  // the refused handshakes below fail after this
      let ref = try ImageReference(parsing: "\(reg.host)/sec/app:v1")
      let store = try ImageStore(root: dir + "/store")
      let pulled = try await withClient(conf) { c in try await c.pull(reference: ref, into: store, unpack: false) }
      #expect(pulled.image.manifestDescriptor.digest == m.digest)

      // Without the client certificate the registry refuses the handshake.
      try FileManager.default.removeItem(atPath: hostDir + "/client.cert")
      try FileManager.default.removeItem(atPath: hostDir + "/client.key")
      await #expect {
        try await withClient(conf) { c in try await c.pull(reference: ref, into: store, unpack: false) }
      } throws: { e in "\(e)".contains("is unreachable") }
      // A certs.d CA that did not sign the server's certificate: verification fails (and
      // a certs.d directory means verification even on a loopback address).
      try FileManager.default.removeItem(atPath: hostDir)
      try FileManager.default.createDirectory(atPath: hostDir, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: dir + "/server.crt", toPath: hostDir + "/ca.crt")
      try FileManager.default.copyItem(atPath: dir + "/client.crt", toPath: hostDir + "/client.cert")
      try FileManager.default.copyItem(atPath: dir + "/client.key", toPath: hostDir + "/client.key")
      await #expect {
        try await withClient(conf) { c in try await c.pull(reference: ref, into: store, unpack: false) }
      } throws: { e in "\(e)".contains("is unreachable") }
    }
  }
}
