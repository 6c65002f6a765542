// Pure parts: WWW-Authenticate challenges, X-Registry-Auth, transport policy, Link headers.
import Foundation
import OCI
@testable import Registry
import Testing

struct AuthParsingTests {
  @Test func bearerChallengeWithQuotedCommaScope() {
    let c = AuthChallenge.parse([
      #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push""#
    ])
    #expect(c.count == 1)
    #expect(c[0].scheme == .bearer)
    #expect(c[0].realm == "https://auth.docker.io/token")
    #expect(c[0].service == "registry.docker.io")
    #expect(c[0].scope == "repository:library/busybox:pull,push")
  }

  @Test func severalChallengesInOneHeaderAndUnknownSchemesSkipped() {
    let c = AuthChallenge.parse([#"Negotiate abc, Basic realm="Registry Realm", Bearer realm="http://x/t""#])
    #expect(c.map(\.scheme) == [.basic, .bearer])
    #expect(c[0].realm == "Registry Realm")
    #expect(c[1].realm == "http://x/t")
  }

  @Test func registryAuthHeaderDecodesBothAlphabetsAndTheAuthField() throws {
    // {"username":"a?b","password":"p>>","serveraddress":"h:5000"}: '?' and '>' make +/ vs -_ differ.
    let json = #"{"username":"a?b","password":"p>>","serveraddress":"h:5000"}"#
    let std = Data(json.utf8).base64EncodedString()
    let url = std.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
    for v in [std, url] {
      let h = try #require(try RegistryAuthHeader.decode(v))
      #expect(h.credentials.username == "a?b")
      #expect(h.credentials.password == "p>>")
      #expect(h.serveraddress == "h:5000")
    }
    let viaAuth = Data(#"{"auth":"\#(Data("u:pw:x".utf8).base64EncodedString())"}"#.utf8).base64EncodedString()
    let h = try #require(try RegistryAuthHeader.decode(viaAuth))
    #expect(h.credentials.username == "u" && h.credentials.password == "pw:x")
    let token = Data(#"{"identitytoken":"tok"}"#.utf8).base64EncodedString()
    #expect(try RegistryAuthHeader.decode(token)?.credentials.identityToken == "tok")
    // No credentials at all: nil, not an error (the CLI sends "{}" for public images).
    #expect(try RegistryAuthHeader.decode("") == nil)
    #expect(try RegistryAuthHeader.decode(Data("{}".utf8).base64EncodedString()) == nil)
    #expect(throws: RegistryError.self) { try RegistryAuthHeader.decode("!!notbase64") }
    #expect(throws: RegistryError.self) { try RegistryAuthHeader.decode(Data("[1]".utf8).base64EncodedString()) }
    // Round trip of what berth's CLI would send.
    let enc = try RegistryAuthHeader(username: "x", password: "y", serveraddress: "s").encoded()
    #expect(try RegistryAuthHeader.decode(enc)?.credentials == RegistryCredentials(username: "x", password: "y"))
  }

  @Test func transportPolicy() {
    let p = TransportPolicy(
      insecureRegistries: ["reg.lan:5000", "10.1.0.0/16"], mirrors: ["http://127.0.0.1:6000/", "mirror.example"])
    #expect(p.allowsPlainHTTP("localhost:5000"))
    #expect(p.allowsPlainHTTP("127.0.0.1:5000"))
    #expect(p.allowsPlainHTTP("127.3.4.5"))
    #expect(p.allowsPlainHTTP("[::1]:5000"))
    #expect(p.allowsPlainHTTP("reg.lan:5000"))
    #expect(!p.allowsPlainHTTP("reg.lan:5001"))
    #expect(p.allowsPlainHTTP("10.1.2.3:443"))
    #expect(!p.allowsPlainHTTP("10.2.0.1"))
    #expect(!p.allowsPlainHTTP("quay.io"))
    #expect(
      p.endpoints(for: "docker.io").map(\.baseURL) == [
        "http://127.0.0.1:6000", "https://mirror.example", "https://registry-1.docker.io",
      ])
    #expect(p.endpoints(for: "quay.io").map(\.baseURL) == ["https://quay.io"])
    // Mirrors are for Docker Hub only.
    #expect(p.endpoints(for: "127.0.0.1:5000").map(\.baseURL) == ["http://127.0.0.1:5000"])
    #expect(TransportPolicy.credentialKey(for: "docker.io") == "https://index.docker.io/v1/")
    #expect(TransportPolicy.credentialKey(for: "h:5000") == "h:5000")
  }

  @Test func certsDirectoryAddsCAAndClientCertificate() throws {
    let dir = try makeTempDir()
    defer { removeTree(dir) }
    let hostDir = dir + "/certs.d/reg.example:5000"
    try FileManager.default.createDirectory(atPath: hostDir, withIntermediateDirectories: true)
    try run([
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", hostDir + "/client.key", "-out",
      hostDir + "/client.cert", "-days", "1", "-subj", "/CN=client",
    ])
    try FileManager.default.copyItem(atPath: hostDir + "/client.cert", toPath: hostDir + "/ca.crt")
    let p = TransportPolicy(certsDirectories: [dir + "/none", dir + "/certs.d"])
    let tls = try p.tlsConfiguration(for: "reg.example:5000")
    #expect(tls.certificateChain.count == 1)
    #expect(tls.privateKey != nil)
    #expect(tls.additionalTrustRoots.count == 1)
    let plain = try p.tlsConfiguration(for: "other.example")
    #expect(plain.certificateChain.isEmpty && plain.additionalTrustRoots.isEmpty)
  }

  @Test func linkHeaderNextPage() {
    #expect(
      RegistryClient.nextLink(#"</v2/a/tags/list?last=t2&n=2>; rel="next""#) == "/v2/a/tags/list?last=t2&n=2")
    #expect(RegistryClient.nextLink(#"</x>; rel="prev""#) == nil)
  }
}
