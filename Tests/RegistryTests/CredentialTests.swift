// config.json and the docker-credential-* protocol, with a fake helper written by the test.
import Foundation
@testable import Registry
import Testing

/// A helper that keeps its entries in files under $FAKE_STORE (one per base64 server URL).
let fakeHelper = #"""
  #!/bin/sh
  set -eu
  store=${FAKE_STORE:?}
  input=$(cat)
  case "$1" in
    store)
      url=$(printf '%s' "$input" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ServerURL"])')
      printf '%s' "$input" > "$store/$(printf '%s' "$url" | base64 -w0 | tr '/+' '_-')" ;;
    get)
      f="$store/$(printf '%s' "$input" | base64 -w0 | tr '/+' '_-')"
      if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
    erase)
      rm -f "$store/$(printf '%s' "$input" | base64 -w0 | tr '/+' '_-')" ;;
    *) echo "unknown verb $1"; exit 1 ;;
  esac
  """#

@Suite(.serialized)
struct CredentialTests {
  @Test func configFileRoundTripKeepsOtherKeys() throws {
    let dir = try makeTempDir()
    defer { removeTree(dir) }
    let path = dir + "/config.json"
    try #"{"psFormat":"table {{.ID}}","auths":{"https://index.docker.io/v1/":{"auth":"aHViOnB3"}}}"#.write(
      toFile: path, atomically: true, encoding: .utf8)
    let config = DockerConfigFile(path: path)
    #expect(try config.credentials(for: "docker.io") == RegistryCredentials(username: "hub", password: "pw"))
    #expect(try config.credentials(for: "quay.io") == nil)
    try config.store(RegistryCredentials(username: "me", password: "x:y"), for: "127.0.0.1:5000")
    #expect(try config.credentials(for: "127.0.0.1:5000") == RegistryCredentials(username: "me", password: "x:y"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    #expect(json["psFormat"] as? String == "table {{.ID}}")
    let auths = try #require(json["auths"] as? [String: Any])
    #expect((auths["127.0.0.1:5000"] as? [String: Any])?["auth"] as? String == "bWU6eDp5")
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    try config.erase("127.0.0.1:5000")
    #expect(try config.credentials(for: "127.0.0.1:5000") == nil)
    #expect(try config.credentials(for: "docker.io") != nil)
    // An auths key written as a URL matches its host.
    try #"{"auths":{"https://reg.example:5000/v2/":{"auth":"YTpi"}}}"#.write(
      toFile: path, atomically: true, encoding: .utf8)
    #expect(try config.credentials(for: "reg.example:5000")?.username == "a")
  }

  @Test func defaultPathFollowsDockerConfig() {
    #expect(DockerConfigFile.defaultPath(environment: ["DOCKER_CONFIG": "/x"]) == "/x/config.json")
    #expect(DockerConfigFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.docker/config.json")
  }

  @Test func helperProtocolThroughCredsStoreAndCredHelpers() throws {
    let dir = try makeTempDir()
    defer { removeTree(dir) }
    let bin = dir + "/bin"
    let storeDir = dir + "/secrets"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: storeDir, withIntermediateDirectories: true)
    try fakeHelper.write(toFile: bin + "/docker-credential-fake", atomically: true, encoding: .utf8)
    chmod(bin + "/docker-credential-fake", 0o755)
    setenv("FAKE_STORE", storeDir, 1)

    let helper = CredentialHelper(name: "fake", searchPath: [bin])
    #expect(try helper.get("h:1") == nil)
    try helper.store(RegistryCredentials(username: "u", password: "p"), for: "h:1")
    #expect(try helper.get("h:1") == RegistryCredentials(username: "u", password: "p"))
    try helper.store(RegistryCredentials(identityToken: "refresh"), for: "h:2")
    #expect(try helper.get("h:2") == RegistryCredentials(identityToken: "refresh"))
    try helper.erase("h:1")
    #expect(try helper.get("h:1") == nil)
    #expect(throws: CredentialHelper.HelperError.self) {
      try CredentialHelper(name: "absent", searchPath: [bin]).get("h:1")
    }

    // credsStore for all, credHelpers for one registry; the secret never lands in config.json.
    let path = dir + "/config.json"
    try #"{"credsStore":"fake","credHelpers":{"special:5000":"fake"}}"#.write(
      toFile: path, atomically: true, encoding: .utf8)
    let config = DockerConfigFile(path: path, helperSearchPath: [bin])
    try config.store(RegistryCredentials(username: "hubuser", password: "hubpw"), for: "docker.io")
    #expect(try config.credentials(for: "docker.io") == RegistryCredentials(username: "hubuser", password: "hubpw"))
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!text.contains("hubpw") && text.contains("https://index.docker.io/v1/"))
    try config.store(RegistryCredentials(username: "s", password: "t"), for: "special:5000")
    #expect(try helper.get("special:5000") == RegistryCredentials(username: "s", password: "t"))
    try config.erase("docker.io")
    #expect(try config.credentials(for: "docker.io") == nil)
  }
}
