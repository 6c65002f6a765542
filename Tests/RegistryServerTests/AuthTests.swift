// htpasswd basic auth, bearer tokens from a token service, and TLS.
import Foundation
import RegistryServer
import Testing

func which(_ tool: String) -> String? {
  for dir in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
  where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
    return "\(dir)/\(tool)"
  }
  return nil
}

/// Runs a program to completion on its own thread; its stdout, or a failure with stderr.
@discardableResult
func runTool(_ path: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
  try await offThread {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    if let environment { p.environment = environment }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let errData = DataReader(err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let stderr = errData.wait()
    guard p.terminationStatus == 0 else {
      throw TestFailure(
        "\(path) \(arguments.joined(separator: " ")) exited \(p.terminationStatus): \(String(decoding: stderr, as: UTF8.self))"
      )
    }
    return String(decoding: outData, as: UTF8.self)
  }
}

/// Reads a pipe to its end on another thread (so stdout and stderr never block each other).
final class DataReader: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)
  init(_ handle: FileHandle) {
    Thread {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }.start()
  }
  func wait() -> Data {
    done.wait()
    return data
  }
}

@Suite struct AuthTests {
  @Test(.enabled(if: which("htpasswd") != nil, "needs htpasswd (apache2-utils)"))
  func htpasswdBasicAuth() async throws {
    try await withTemporaryDirectory { dir in
      let file = dir + "/htpasswd"
      let line = try await runTool(try #require(which("htpasswd")), ["-Bbn", "alice", "s3cret"])
      try line.write(toFile: file, atomically: true, encoding: .utf8)
      try await withRegistry({ $0.htpasswdPath = file }) { r in
        let anonymous = try await r.request("GET", "/v2/")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate") == "Basic realm=\"berth-registry\"")
        #expect(anonymous.errorCode == "UNAUTHORIZED")
        let wrong = try await r.request("GET", "/v2/", headers: [("Authorization", basic("alice", "wrong"))])
        #expect(wrong.status == 401)
        let nobody = try await r.request("GET", "/v2/", headers: [("Authorization", basic("bob", "s3cret"))])
        #expect(nobody.status == 401)
        let right = [("Authorization", basic("alice", "s3cret"))]
        #expect(try await r.request("GET", "/v2/", headers: right).status == 200)
        try await r.pushImage("private/app", "v1", headers: right)
        #expect(try await r.request("GET", "/v2/private/app/manifests/v1").status == 401)
        #expect(try await r.request("GET", "/v2/private/app/manifests/v1", headers: right).status == 200)
      }
    }
  }

  func basic(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
  }

  @Test func bearerTokens() async throws {
    let key = Array("a shared secret of the token service".utf8)
    let config = TokenAuthConfiguration(realm: "http://127.0.0.1:1/token", service: "berth-test", key: key)
    try await withRegistry({ $0.tokenAuth = config }) { r in
      let anonymous = try await r.request("GET", "/v2/app/tags/list")
      #expect(anonymous.status == 401)
      #expect(
        anonymous.header("WWW-Authenticate")
          == "Bearer realm=\"http://127.0.0.1:1/token\",service=\"berth-test\",scope=\"repository:app:pull\"")
      let push = RegistryToken.issue(
        key: key, service: "berth-test", access: [("repository", "app", ["pull", "push"])])
      let auth = [("Authorization", "Bearer \(push)")]
      #expect(try await r.request("GET", "/v2/", headers: auth).status == 200)
      try await r.pushImage("app", "v1", headers: auth)
      #expect(try await r.request("GET", "/v2/app/manifests/v1", headers: auth).status == 200)
      // Pull-only token: no push; a token for another repository: nothing there.
      let pull = RegistryToken.issue(key: key, service: "berth-test", access: [("repository", "app", ["pull"])])
      #expect(
        try await r.request("GET", "/v2/app/manifests/v1", headers: [("Authorization", "Bearer \(pull)")]).status == 200
      )
      let denied = try await r.request("POST", "/v2/app/blobs/uploads/", headers: [("Authorization", "Bearer \(pull)")])
      #expect(denied.status == 401)
      #expect(denied.header("WWW-Authenticate")?.contains("insufficient_scope") == true)
      let other = RegistryToken.issue(key: key, service: "berth-test", access: [("repository", "other", ["pull"])])
      #expect(
        try await r.request("GET", "/v2/app/manifests/v1", headers: [("Authorization", "Bearer \(other)")]).status
          == 401)
      // Wrong key, wrong service, expired.
      let forged = RegistryToken.issue(
        key: Array("wrong".utf8), service: "berth-test", access: [("repository", "app", ["pull"])])
      #expect(
        try await r.request("GET", "/v2/app/manifests/v1", headers: [("Authorization", "Bearer \(forged)")]).status
          == 401)
      let elsewhere = RegistryToken.issue(key: key, service: "another", access: [("repository", "app", ["pull"])])
      #expect(
        try await r.request("GET", "/v2/app/manifests/v1", headers: [("Authorization", "Bearer \(elsewhere)")]).status
          == 401)
      let expired = RegistryToken.issue(
        key: key, service: "berth-test", access: [("repository", "app", ["pull"])], lifetime: -120)
      let old = try await r.request("GET", "/v2/app/manifests/v1", headers: [("Authorization", "Bearer \(expired)")])
      #expect(old.status == 401)
      #expect(old.text.contains("expired"))
    }
  }

  @Test(.enabled(if: which("openssl") != nil && which("curl") != nil, "needs openssl and curl"))
  func tls() async throws {
    try await withTemporaryDirectory { dir in
      try await runTool(
        try #require(which("openssl")),
        [
          "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
          "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
        ])
      try await withRegistry({
        $0.tlsCertificatePath = dir + "/cert.pem"
        $0.tlsKeyPath = dir + "/key.pem"
      }) { r in
        let out = try await runTool(
          try #require(which("curl")),
          ["-sS", "--cacert", dir + "/cert.pem", "-D", "-", "https://127.0.0.1:\(r.port)/v2/"])
        #expect(out.hasPrefix("HTTP/1.1 200"))
        #expect(out.lowercased().contains("docker-distribution-api-version: registry/2.0"))
      }
    }
  }
}
