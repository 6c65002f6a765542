import EngineClient
import Foundation
import Testing

@testable import BerthCommands

/// `berth login/logout/pull/push` against a fake daemon: POST /auth, config.json as docker
/// writes it, `X-Registry-Auth` as docker sends it, and credential helpers.
/// The JSON text of an `X-Registry-Auth` value ("" when missing or not base64).
func decodeHeader(_ header: String?) -> String {
  String(decoding: header.flatMap { Base64.decode($0) } ?? [], as: UTF8.self)
}

@Suite(.serialized) struct RegistryCLITests {
  /// A fake daemon that accepts any login and records the auth header of pulls and pushes.
  final class Registryish: @unchecked Sendable {
    let engine: FakeEngine
    private let lock = NSLock()
    private var headers: [String] = []

    init() throws {
      engine = try FakeEngine()
      engine.handler = { [unowned self] r in
        switch r.path {
        case "/auth": return .json(200, #"{"Status":"Login Succeeded","IdentityToken":""}"#)
        case "/images/create",
          _ where r.path.hasSuffix("/push"):
          lock.lock()
          headers.append(r.headers["x-registry-auth"] ?? "")
          lock.unlock()
          return .json(200, #"{"status":"Digest: sha256:abc"}"# + "\n")
        default: return .json(404, #"{"message":"unexpected"}"#)
        }
      }
      engine.start()
    }

    var lastHeader: String? {
      lock.lock()
      defer { lock.unlock() }
      return headers.last
    }
  }

  @Test func loginWritesConfigAndPullsSendIt() throws {
    let home = try temporaryDirectory("login")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let fake = try Registryish()
    defer { fake.engine.stop() }
    let env = ["HOME": home, "PATH": "/nonexistent"]
    let login = runCLI(
      ["login", "-u", "me", "--password-stdin"], host: fake.engine.host, stdin: "secret\n", environment: env)
    #expect(login.code == 0, "\(login.stderr)")
    #expect(login.stdout == "Login Succeeded\n")
    #expect(login.stderr.contains("WARNING! Your credentials are stored unencrypted in '\(home)/.docker/config.json'."))
    let body = try JSON.parse(try #require(fake.engine.body(of: "POST /auth")))
    #expect(
      body.serialized() == #"{"username":"me","password":"secret","serveraddress":"https://index.docker.io/v1/"}"#)
    let config = try String(contentsOfFile: "\(home)/.docker/config.json", encoding: .utf8)
    #expect(
      config
        == "{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\n\t\t\t\"auth\": \"bWU6c2VjcmV0\"\n\t\t}\n\t}\n}")

    #expect(runCLI(["pull", "busybox"], host: fake.engine.host, environment: env).code == 0)
    let header = try #require(fake.lastHeader)
    let decoded = String(decoding: try #require(Base64.decode(header)), as: UTF8.self)
    #expect(decoded == #"{"username":"me","password":"secret","serveraddress":"https://index.docker.io/v1/"}"#)

    // Another registry has no credentials: docker sends "{}".
    #expect(runCLI(["push", "localhost:5000/x:1"], host: fake.engine.host, environment: env).code == 0)
    #expect(fake.lastHeader == "e30=")
    #expect(fake.engine.requests.contains("POST /images/localhost:5000/x/push"))

    let logout = runCLI(["logout"], host: fake.engine.host, environment: env)
    #expect(logout.stdout == "Removing login credentials for https://index.docker.io/v1/\n")
    #expect(try String(contentsOfFile: "\(home)/.docker/config.json", encoding: .utf8) == "{\n\t\"auths\": {}\n}")
  }

  @Test(.enabled(if: hasDockerCLI, "needs the docker CLI")) func dockerAndBerthShareCredentials() throws {
    let home = try temporaryDirectory("login-docker")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let fake = try Registryish()
    defer { fake.engine.stop() }
    // docker logs in, berth pulls with what docker stored.
    let login = try runDocker(
      ["-H", fake.engine.host, "login", "-u", "me", "--password-stdin", "localhost:5000"], home: home, stdin: "pw\n")
    #expect(login.code == 0, "\(login.stderr)")
    #expect(runCLI(["pull", "localhost:5000/x:1"], host: fake.engine.host, environment: ["HOME": home]).code == 0)
    let berthHeader = fake.lastHeader
    _ = try runDocker(["-H", fake.engine.host, "pull", "localhost:5000/x:1"], home: home)
    #expect(berthHeader == fake.lastHeader)
    // berth logs in, docker pulls with what berth stored.
    let berthLogin = runCLI(
      ["login", "-u", "you", "-p", "pw2", "localhost:6000"], host: fake.engine.host, environment: ["HOME": home])
    #expect(berthLogin.stderr.hasPrefix("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"))
    _ = try runDocker(["-H", fake.engine.host, "pull", "localhost:6000/y:1"], home: home)
    let decoded = decodeHeader(fake.lastHeader)
    #expect(decoded == #"{"username":"you","password":"pw2","serveraddress":"localhost:6000"}"#)
  }

  @Test func credentialHelpersAreUsed() throws {
    let home = try temporaryDirectory("helper")
    defer { try? FileManager.default.removeItem(atPath: home) }
    // A docker-credential helper keeping its secrets in one file per verb, as the protocol has it.
    let bin = home + "/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    let script = """
      #!/bin/sh
      store="\(home)/helper-store.json"
      case "$1" in
        store) cat > "$store" ;;
        get) read server; if [ -f "$store" ]; then u=$(sed 's/.*"Username":"\\([^"]*\\)".*/\\1/' "$store"); s=$(sed 's/.*"Secret":"\\([^"]*\\)".*/\\1/' "$store"); printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" "$u" "$s"; else echo "credentials not found in native keychain"; exit 1; fi ;;
        erase) read server; rm -f "$store"; echo "$server" > "\(home)/erased" ;;
      esac
      """
    FileManager.default.createFile(atPath: bin + "/docker-credential-fake", contents: Data(script.utf8))
    chmod(bin + "/docker-credential-fake", 0o755)
    try FileManager.default.createDirectory(atPath: home + "/.docker", withIntermediateDirectories: true)
    FileManager.default.createFile(
      atPath: home + "/.docker/config.json", contents: Data(#"{"credHelpers":{"localhost:5000":"fake"}}"#.utf8))
    let fake = try Registryish()
    defer { fake.engine.stop() }
    let env = ["HOME": home, "PATH": bin + ":/usr/bin:/bin"]
    let login = runCLI(
      ["login", "-u", "me", "--password-stdin", "localhost:5000"], host: fake.engine.host, stdin: "s3cret",
      environment: env)
    #expect(login.code == 0, "\(login.stderr)")
    #expect(!login.stderr.contains("unencrypted"))
    let stored = try String(contentsOfFile: home + "/helper-store.json", encoding: .utf8)
    #expect(stored == #"{"ServerURL":"localhost:5000","Username":"me","Secret":"s3cret"}"#)
    let config = try JSON.parse(try String(contentsOfFile: home + "/.docker/config.json", encoding: .utf8))
    #expect(config["auths"]?["localhost:5000"] == .object([]))
    #expect(config["credHelpers"]?["localhost:5000"]?.stringValue == "fake")
    #expect(runCLI(["pull", "localhost:5000/x"], host: fake.engine.host, environment: env).code == 0)
    let decoded = decodeHeader(fake.lastHeader)
    #expect(decoded == #"{"username":"me","password":"s3cret","serveraddress":"localhost:5000"}"#)
    #expect(runCLI(["logout", "localhost:5000"], host: fake.engine.host, environment: env).code == 0)
    #expect(try String(contentsOfFile: home + "/erased", encoding: .utf8) == "localhost:5000\n")
  }
}
