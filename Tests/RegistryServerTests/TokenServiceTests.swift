// Token auth with a real client: a local token service (python3, the distribution token
// protocol: GET realm?service=&scope= with basic credentials → {"token": HS256 JWT}) and
// skopeo pushing to and pulling from a registry that trusts its key.
import Foundation
import JSONCoding
import RegistryServer
import Testing

/// The token service: issues tokens for user alice (password s3cret) granting the scopes
/// asked for; anyone else gets 401. Prints its port on the first line.
let tokenServiceScript = #"""
  import base64, hashlib, hmac, http.server, json, sys, time, urllib.parse
  key = sys.argv[1].encode()
  def b64(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
  class H(http.server.BaseHTTPRequestHandler):
      def log_message(self, *a): pass
      def do_GET(self):
          q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
          auth = self.headers.get("Authorization", "")
          if auth != "Basic " + base64.b64encode(b"alice:s3cret").decode():
              self.send_response(401); self.send_header("Content-Length", "0"); self.end_headers(); return
          access = []
          for scope in q.get("scope", []):
              for s in scope.split(" "):
                  t, name, actions = s.split(":", 2) if s.count(":") >= 2 else (s, "", "")
                  access.append({"type": t, "name": name, "actions": actions.split(",")})
          now = int(time.time())
          claims = {"iss": "test", "sub": "alice", "aud": q.get("service", [""])[0], "iat": now, "nbf": now - 5,
                    "exp": now + 300, "access": access}
          signed = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
          token = signed + "." + b64(hmac.new(key, signed.encode(), hashlib.sha256).digest())
          body = json.dumps({"token": token, "expires_in": 300}).encode()
          self.send_response(200); self.send_header("Content-Type", "application/json")
          self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
  s = http.server.HTTPServer(("127.0.0.1", 0), H)
  print(s.server_address[1], flush=True)
  s.serve_forever()
  """#

/// python3 running the token service; stopped (by its pid) when the test ends.
final class TokenService: @unchecked Sendable {
  let process = Process()
  var port = 0

  init(key: String) throws {
    process.executableURL = URL(fileURLWithPath: try #require(which("python3")))
    process.arguments = ["-c", tokenServiceScript, key]
    let out = Pipe()
    process.standardOutput = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
      stop()
      throw TestFailure("the token service did not start")
    }
    self.port = port
  }

  /// SIGKILL: the python child inherits the test runner's blocked SIGTERM.
  func stop() {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}

@Suite struct TokenServiceTests {
  @Test(.enabled(if: Tools.haveImageTools && which("python3") != nil, "needs skopeo, umoci, busybox-static, python3"))
  func skopeoThroughATokenService() async throws {
    let key = "token-service-key"
    let service = try TokenService(key: key)
    defer { service.stop() }
    try await withTemporaryDirectory { dir in
      try await makeBusyboxLayout(dir + "/src", tag: "base", scratch: dir + "/bundle")
      let config = TokenAuthConfiguration(
        realm: "http://127.0.0.1:\(service.port)/token", service: "berth-registry", key: Array(key.utf8))
      try await withRegistry({ $0.tokenAuth = config }) { r in
        let skopeo = try #require(which("skopeo"))
        let ref = "docker://127.0.0.1:\(r.port)/secure/busybox:1"
        let denied = await #expect(throws: (any Error).self) {
          try await runTool(
            skopeo,
            [
              "--insecure-policy", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:wrong",
              "oci:\(dir)/src:base", ref,
            ])
        }
        let message = denied.map { "\($0)".lowercased() } ?? ""
        #expect(message.contains("401") || message.contains("unauthorized"), "\(message)")
        try await runTool(
          skopeo,
          [
            "--insecure-policy", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret",
            "oci:\(dir)/src:base", ref,
          ])
        let inspect = try await runTool(skopeo, ["inspect", "--tls-verify=false", "--creds", "alice:s3cret", ref])
        #expect(inspect.contains(try layoutManifestDigest(dir + "/src")))
        // Anonymous: the registry's challenge, no content.
        let anonymous = try await r.request("GET", "/v2/secure/busybox/manifests/1")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer realm=\"http://127.0.0.1:") == true)
      }
    }
  }
}
