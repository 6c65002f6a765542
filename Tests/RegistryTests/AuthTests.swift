// Auth against real registries: htpasswd (Basic), and distribution's token auth with a token
// service started by the test (python3, JWTs signed RS256 by a key made with openssl).
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

/// A token service: GET /token?service=&scope= with Basic user:password → a JWT with the
/// requested access; wrong credentials → 401; anonymous → a token granting nothing;
/// POST (OAuth2 refresh-token grant) with the identity token "refresh-<user>".
/// Each request is appended to <dir>/token-requests.log.
let tokenServerScript = #"""
  import base64, json, sys, time, os, threading
  from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
  from urllib.parse import urlparse, parse_qs
  from cryptography import x509
  from cryptography.hazmat.primitives import hashes, serialization
  from cryptography.hazmat.primitives.asymmetric import padding
  keyfile, certfile, user, password, logfile = sys.argv[1:6]
  key = serialization.load_pem_private_key(open(keyfile, 'rb').read(), None)
  cert = x509.load_pem_x509_certificate(open(certfile, 'rb').read())
  x5c = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
  def b64(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
  lock = threading.Lock()
  class H(BaseHTTPRequestHandler):
      protocol_version = 'HTTP/1.1'
      def log_message(self, *a): pass
      def reply(self, code, body):
          data = json.dumps(body).encode()
          self.send_response(code); self.send_header('Content-Type', 'application/json')
          self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
      def do_GET(self):
          q = parse_qs(urlparse(self.path).query)
          auth = self.headers.get('Authorization', '')
          with lock:
              open(logfile, 'a').write(json.dumps({'scope': q.get('scope', []), 'auth': bool(auth)}) + '\n')
          who = None
          if auth.startswith('Basic '):
              u, _, p = base64.b64decode(auth[6:]).decode().partition(':')
              if (u, p) != (user, password):
                  return self.reply(401, {'errors': [{'code': 'UNAUTHORIZED', 'message': 'invalid username or password'}]})
              who = u
          self.issue(who, q.get('scope', []), q.get('service', [''])[0], 'access_token' if who else 'token')
      def do_POST(self):
          # OAuth2 refresh-token grant: the identity token of `docker login` is "refresh-<user>".
          n = int(self.headers.get('Content-Length') or 0)
          form = parse_qs(self.rfile.read(n).decode())
          with lock:
              open(logfile, 'a').write(json.dumps({'post': True, 'scope': form.get('scope', [])}) + '\n')
          if form.get('grant_type') != ['refresh_token'] or form.get('refresh_token') != ['refresh-' + user]:
              return self.reply(401, {'error': 'invalid_grant'})
          scopes = [x for x in form.get('scope', [''])[0].split(' ') if x]
          self.issue(user, scopes, form.get('service', [''])[0], 'access_token')
      def issue(self, who, scopes, service, field):
          access = []
          if who:
              for s in scopes:
                  t, name, actions = s.split(':')
                  access.append({'type': t, 'name': name, 'actions': actions.split(',')})
          now = int(time.time())
          header = {'typ': 'JWT', 'alg': 'RS256', 'x5c': [x5c]}
          claims = {'iss': 'berth-test-issuer', 'sub': who or '', 'aud': service,
                    'exp': now + 300, 'nbf': now - 10, 'iat': now, 'jti': os.urandom(8).hex(), 'access': access}
          signing = b64(json.dumps(header).encode()) + '.' + b64(json.dumps(claims).encode())
          sig = key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
          # Both field names occur in the wild (Docker Hub sends both): one each here.
          self.reply(200, {field: signing + '.' + b64(sig), 'expires_in': 300})
  srv = ThreadingHTTPServer(('127.0.0.1', 0), H)
  print(srv.server_address[1], flush=True)
  srv.serve_forever()
  """#

final class TokenService: @unchecked Sendable {
  let child: Child
  let port: Int
  let logPath: String
  var realm: String { "http://127.0.0.1:\(port)/token" }

  init(dir: String, certPath: String, keyPath: String, user: String, password: String) throws {
    logPath = dir + "/token-requests.log"
    FileManager.default.createFile(atPath: logPath, contents: nil)
    try tokenServerScript.write(toFile: dir + "/token_service.py", atomically: true, encoding: .utf8)
    child = try Child(
      ["/usr/bin/python3", dir + "/token_service.py", keyPath, certPath, user, password, logPath],
      log: dir + "/token-server.out")
    var port = 0
    for _ in 0..<200 {
      if let p = Int(child.log.split(separator: "\n").first ?? "") {
        port = p
        break
      }
      usleep(25_000)
    }
    guard port > 0 else {
      child.stop()
      throw TestFailure("token service did not start: \(child.log)")
    }
    self.port = port
  }

  var requests: [String] {
    ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }
}

@Suite(.enabled(if: haveTools && isRoot, "needs root, docker-registry, skopeo, htpasswd, openssl"))
struct AuthTests {
  @Test func htpasswdRegistryNeedsTheRightCredentials() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg", auth: .htpasswd(user: "alice", password: "s3cret")) { reg in
        let (m, _) = try pushTestImage(dir + "/layout", to: "\(reg.host)/private/app:v1", creds: "alice:s3cret")
        let store = try ImageStore(root: dir + "/store")
        let ref = try ImageReference(parsing: "\(reg.host)/private/app:v1")
        try await withClient { c in
          // No credentials: refused with a message that says what to do.
          await #expect {
            try await c.pull(reference: ref, into: store, unpack: false)
          } throws: { e in
            guard let e = e as? RegistryError, case .unauthorized = e else { return false }
            return "\(e)".contains("unauthorized") && "\(e)".contains("berth login \(reg.host)")
          }
          // Wrong password: refused too.
          await #expect(throws: RegistryError.self) {
            try await c.pull(
              reference: ref, auth: RegistryCredentials(username: "alice", password: "wrong"), into: store,
              unpack: false)
          }
          #expect(!store.content.contains(m.digest))
          // Login checks the credentials.
          #expect(
            try await c.login(
              registry: reg.host, credentials: RegistryCredentials(username: "alice", password: "s3cret"))
              == "Login Succeeded")
          await #expect(throws: RegistryError.self) {
            try await c.login(registry: reg.host, credentials: RegistryCredentials(username: "alice", password: "x"))
          }
          // The credentials as the docker CLI sends them (X-Registry-Auth).
          let header = try RegistryAuthHeader(username: "alice", password: "s3cret", serveraddress: reg.host)
            .encoded()
          let creds = try #require(try RegistryAuthHeader.decode(header)).credentials
          let pulled = try await c.pull(reference: ref, auth: creds, into: store, unpack: false)
          #expect(pulled.image.manifestDescriptor.digest == m.digest)
        }
      }
    }
  }

  @Test func credentialsComeFromConfigJSON() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg", auth: .htpasswd(user: "bob", password: "pw")) { reg in
        let (m, _) = try pushTestImage(dir + "/layout", to: "\(reg.host)/p/app:v1", creds: "bob:pw")
        let config = DockerConfigFile(path: dir + "/docker/config.json")
        try config.store(RegistryCredentials(username: "bob", password: "pw"), for: reg.host)
        let store = try ImageStore(root: dir + "/store")
        var conf = RegistryClientConfiguration()
        conf.credentialStore = config
        let pulled = try await withClient(conf) { c in
          try await c.pull(reference: try ImageReference(parsing: "\(reg.host)/p/app:v1"), into: store, unpack: false)
        }
        #expect(pulled.image.manifestDescriptor.digest == m.digest)
      }
    }
  }

  @Test func tokenAuthRegistryPullAndPushWithCachedTokens() async throws {
    try await withTempDir { dir in
      try run([
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/token.key", "-out",
        dir + "/token.crt", "-days", "1", "-subj", "/CN=berth-test-token",
      ])
      let tokens = try TokenService(
        dir: dir, certPath: dir + "/token.crt", keyPath: dir + "/token.key", user: "carol", password: "tokpw")
      defer { tokens.child.stop() }
      try await withRegistry(dir + "/reg", auth: .token(realm: tokens.realm, certPath: dir + "/token.crt")) { reg in
        // Seed through the client's own push (skopeo would need the token flow too; it has it,
        // but this also proves push with a push+pull scope).
        let seedStore = try ImageStore(root: dir + "/seed")
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        let layer = try b.addLayer(["t": Data("token".utf8)])
        let m = try b.addImage([layer])
        try b.tag(m, "v1")
        try b.copy("v1", to: "\(reg.host)/tok/app:v1", creds: "carol:tokpw")
        let creds = RegistryCredentials(username: "carol", password: "tokpw")
        let ref = try ImageReference(parsing: "\(reg.host)/tok/app:v1")
        try await withClient { c in
          // Anonymous: the token grants nothing, so the registry refuses.
          await #expect(throws: RegistryError.self) {
            try await c.pull(reference: ref, into: seedStore, unpack: false)
          }
          // Wrong password: the token service refuses, and the error says so.
          await #expect {
            try await c.pull(
              reference: ref, auth: RegistryCredentials(username: "carol", password: "nope"), into: seedStore,
              unpack: false)
          } throws: { e in "\(e)".contains("incorrect username or password") }

          try await c.login(registry: reg.host, credentials: creds)
          await #expect(throws: RegistryError.self) {
            try await c.login(registry: reg.host, credentials: RegistryCredentials(username: "carol", password: "x"))
          }
          let before = tokens.requests.count
          let pulled = try await c.pull(reference: ref, auth: creds, into: seedStore, unpack: false)
          #expect(pulled.image.manifestDescriptor.digest == m.digest)
          // One token for the pull scope, reused for every manifest and blob request.
          #expect(tokens.requests.count == before + 1)
          _ = try await c.pull(reference: ref, auth: creds, into: seedStore, unpack: false)
          #expect(tokens.requests.count == before + 1)

          // Push to another repository: a pull,push token; then pull it back.
          try seedStore.tag(ref.description, as: try ImageReference(parsing: "\(reg.host)/tok/copy:v2"))
          let pushed = try await c.push(
            reference: try ImageReference(parsing: "\(reg.host)/tok/copy:v2"), auth: creds, from: seedStore)
          #expect(pushed.digest == m.digest)
          #expect(tokens.requests.contains { $0.contains("repository:tok/copy:pull,push") })

          // An identity token (OAuth2 refresh token) is exchanged by POST at the realm.
          let fresh = try ImageStore(root: dir + "/fresh")
          let viaRefresh = try await c.pull(
            reference: ref, auth: RegistryCredentials(identityToken: "refresh-carol"), into: fresh, unpack: false)
          #expect(viaRefresh.image.manifestDescriptor.digest == m.digest)
          #expect(tokens.requests.contains { $0.contains("\"post\": true") })
          await #expect(throws: RegistryError.self) {
            try await c.pull(
              reference: ref, auth: RegistryCredentials(identityToken: "stale"), into: fresh, unpack: false)
          }
        }
      }
    }
  }
}
