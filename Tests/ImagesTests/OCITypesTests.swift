// OCI / Docker JSON types: decoding what Docker writes and re-encoding the same fields.
import Foundation
import OCI
import Testing

@Suite("Images: OCI and Docker JSON types")
struct OCITypesTests {
  static let dockerConfig = """
    {"architecture":"amd64","config":{"Hostname":"","Domainname":"","User":"app","AttachStdin":false,\
    "AttachStdout":false,"AttachStderr":false,"ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":false,\
    "StdinOnce":false,"Env":["PATH=/usr/bin"],"Cmd":["nginx","-g","daemon off;"],\
    "Healthcheck":{"Test":["CMD-SHELL","curl -f localhost"],"Interval":30000000000,"Timeout":5000000000,\
    "StartPeriod":1000000000,"StartInterval":2000000000,"Retries":3},"ArgsEscaped":true,"Image":"",\
    "Volumes":{"/data":{}},"WorkingDir":"/srv","Entrypoint":["/docker-entrypoint.sh"],"OnBuild":null,\
    "Labels":{"maintainer":"x"},"StopSignal":"SIGQUIT","Shell":["/bin/sh","-c"]},\
    "container":"abc","container_config":{"Cmd":["/bin/sh"]},"created":"2024-01-02T03:04:05.123456789Z",\
    "docker_version":"24.0.7","history":[{"created":"2024-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:x in / "},\
    {"created":"2024-01-02T03:04:06Z","created_by":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","empty_layer":true}],\
    "os":"linux","os.version":"10.0","variant":"v8","rootfs":{"type":"layers","diff_ids":["sha256:\(String(repeating: "1", count: 64))"]}}
    """

  @Test func imageConfigDecodesAllDockerFields() throws {
    let c = try JSONDecoder().decode(ImageConfig.self, from: Data(Self.dockerConfig.utf8))
    let cfg = try #require(c.config)
    #expect(cfg.user == "app")
    #expect(cfg.exposedPorts?.keys.sorted() == ["80/tcp"])
    #expect(cfg.env == ["PATH=/usr/bin"])
    #expect(cfg.entrypoint == ["/docker-entrypoint.sh"])
    #expect(cfg.cmd == ["nginx", "-g", "daemon off;"])
    #expect(cfg.volumes?.keys.sorted() == ["/data"])
    #expect(cfg.workingDir == "/srv")
    #expect(cfg.labels == ["maintainer": "x"])
    #expect(cfg.stopSignal == "SIGQUIT")
    #expect(cfg.healthcheck?.retries == 3 && cfg.healthcheck?.interval == 30_000_000_000)
    #expect(cfg.healthcheck?.startInterval == 2_000_000_000)
    #expect(cfg.shell == ["/bin/sh", "-c"])
    #expect(c.history?.count == 2 && c.history?[1].emptyLayer == true)
    #expect(c.rootfs.diffIDs.count == 1)
    #expect(c.osVersion == "10.0" && c.variant == "v8")
    #expect(c.dockerVersion == "24.0.7" && c.containerConfig?.cmd == ["/bin/sh"])
  }

  @Test func imageConfigRoundTripsWithDockerFieldNames() throws {
    let c = try JSONDecoder().decode(ImageConfig.self, from: Data(Self.dockerConfig.utf8))
    let again = try JSONEncoder().encode(c)
    let obj = try #require(try JSONSerialization.jsonObject(with: again) as? [String: Any])
    let cfg = try #require(obj["config"] as? [String: Any])
    for k in [
      "User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
      "StopSignal", "Healthcheck",
    ] {
      #expect(cfg[k] != nil, "missing \(k)")
    }
    #expect((obj["rootfs"] as? [String: Any])?["diff_ids"] != nil)
    #expect(obj["os.version"] as? String == "10.0")
    #expect(((obj["history"] as? [[String: Any]])?[1])?["empty_layer"] as? Bool == true)
    #expect(((obj["history"] as? [[String: Any]])?[0])?["created_by"] != nil)
    #expect(try JSONDecoder().decode(ImageConfig.self, from: again) == c)
  }

  @Test func manifestAndIndexDecode() throws {
    let h = String(repeating: "a", count: 64)
    let manifest = """
      {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",\
      "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1469,"digest":"sha256:\(h)"},\
      "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2,"digest":"sha256:\(h)"}]}
      """
    let m = try JSONDecoder().decode(ImageManifest.self, from: Data(manifest.utf8))
    #expect(m.layers.count == 1 && MediaType.isManifest(m.mediaType))
    #expect(MediaType.layerCompression(m.layers[0].mediaType) == .gzip)

    func entry(_ arch: String, _ variant: String?, _ n: Character) -> String {
      let v = variant.map { ",\"variant\":\"\($0)\"" } ?? ""
      return """
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:\(String(repeating: n, count: 64))",\
        "platform":{"architecture":"\(arch)","os":"linux"\(v)}}
        """
    }
    let index = """
      {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\
      \(entry("arm", "v6", "1")),\(entry("arm", "v7", "2")),\(entry("arm64", "v8", "3")),\(entry("amd64", nil, "4")),\
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:\(String(repeating: "5", count: 64))",\
      "platform":{"architecture":"unknown","os":"unknown"}}]}
      """
    let idx = try JSONDecoder().decode(ImageIndex.self, from: Data(index.utf8))
    #expect(
      idx.manifest(for: Platform(architecture: "amd64", os: "linux"))?.digest.encoded.first == "4")
    #expect(
      idx.manifest(for: Platform(architecture: "arm64", os: "linux"))?.digest.encoded.first == "3")
    #expect(
      idx.manifest(for: Platform(architecture: "aarch64", os: "linux"))?.digest.encoded.first == "3"
    )
    #expect(
      idx.manifest(for: Platform(architecture: "arm", os: "linux", variant: "v7"))?.digest.encoded
        .first == "2")
    #expect(
      idx.manifest(for: Platform(architecture: "arm", os: "linux", variant: "v6"))?.digest.encoded
        .first == "1")
    #expect(
      idx.manifest(for: Platform(architecture: "arm", os: "linux", variant: "v8"))?.digest.encoded
        .first == "2")
    #expect(idx.manifest(for: Platform(architecture: "s390x", os: "linux")) == nil)
    #expect(idx.manifest(for: Platform(architecture: "amd64", os: "windows")) == nil)
  }

  @Test func digestValidation() throws {
    #expect(throws: Digest.ParseError.self) { try Digest(parsing: "sha256:ABC") }
    #expect(throws: Digest.ParseError.self) { try Digest(parsing: "nocolon") }
    #expect(throws: Digest.ParseError.self) {
      try Digest(parsing: "sha256:" + String(repeating: "A", count: 64))
    }
    let d = try Digest(parsing: "sha256:" + String(repeating: "0", count: 64))
    #expect(try JSONDecoder().decode(Digest.self, from: JSONEncoder().encode(d)) == d)
    #expect(Platform(parsing: "linux/arm64")?.description == "linux/arm64/v8")
    #expect(Platform(parsing: "x86_64")?.description == "linux/amd64")
  }
}
