// Test images: OCI layouts built here (layers tarred by GNU tar, gzip -n), copied into the
// registry with skopeo, so the client is tested against images it did not write itself.
import ContentStore
import Foundation
import OCI
import Testing

struct TestLayer {
  var descriptor: Descriptor
  var diffID: Digest
}

final class OCILayoutBuilder {
  let dir: String
  var refs: [(Descriptor, String)] = []

  init(dir: String) throws {
    self.dir = dir
    try FileManager.default.createDirectory(atPath: dir + "/blobs/sha256", withIntermediateDirectories: true)
    try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: dir + "/oci-layout"))
  }

  @discardableResult
  func addBlob(_ bytes: Data, mediaType: String) throws -> Descriptor {
    let digest = SHA256Hasher.digest(bytes)
    try bytes.write(to: URL(fileURLWithPath: "\(dir)/blobs/sha256/\(digest.encoded)"))
    return Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
  }

  /// A gzip layer holding `files` (path → contents) under a directory "data".
  func addLayer(_ files: [String: Data]) throws -> TestLayer {
    let stage = dir + "/stage-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: stage) }  // scratch inside the layout dir
    for (path, data) in files {
      let full = stage + "/data/" + path
      try FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try data.write(to: URL(fileURLWithPath: full))
    }
    let tar = stage + ".tar"
    try run([
      "tar", "--sort=name", "--mtime=@1000000000", "--owner=0", "--group=0", "--numeric-owner",
      "-C", stage, "-cf", tar, "data",
    ])
    defer { try? FileManager.default.removeItem(atPath: tar) }  // scratch
    let tarBytes = try Data(contentsOf: URL(fileURLWithPath: tar))
    let gz = try run(["gzip", "-n", "-1", "-c", tar])
    let desc = try addBlob(gz, mediaType: MediaType.ociLayerGzip)
    return TestLayer(descriptor: desc, diffID: SHA256Hasher.digest(tarBytes))
  }

  /// A gzip layer written by python's tarfile: `body` calls d(name, mode) for a directory
  /// entry and f(name, data) for a file (so a file can come without its parent's entry).
  func addTarLayer(_ body: String) throws -> TestLayer {
    let tar = dir + "/raw-\(UInt32.random(in: 0...UInt32.max)).tar"
    defer { try? FileManager.default.removeItem(atPath: tar) }  // scratch
    let script = """
      import tarfile, io, sys
      tf = tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT)
      def d(name, mode=0o755):
          ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = mode; ti.mtime = 1000000000
          tf.addfile(ti)
      def f(name, data):
          ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644; ti.mtime = 1000000000
          tf.addfile(ti, io.BytesIO(data))
      \(body)
      tf.close()
      """
    try run(["python3", "-c", script, tar])
    let tarBytes = try Data(contentsOf: URL(fileURLWithPath: tar))
    let gz = try run(["gzip", "-n", "-1", "-c", tar])
    return TestLayer(
      descriptor: try addBlob(gz, mediaType: MediaType.ociLayerGzip), diffID: SHA256Hasher.digest(tarBytes))
  }

  /// A config and manifest for `layers` on `platform`; returns the manifest's descriptor.
  func addImage(
    _ layers: [TestLayer], platform: Platform = Platform(architecture: "amd64", os: "linux"), label: String = ""
  )
    throws -> Descriptor
  {
    let config = ImageConfig(
      created: "2026-01-01T00:00:00Z", architecture: platform.architecture, os: platform.os,
      variant: platform.variant,
      config: ImageConfig.Config(cmd: ["sh"], labels: label.isEmpty ? nil : ["test": label]),
      rootfs: ImageConfig.RootFS(diffIDs: layers.map(\.diffID)))
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    let configDesc = try addBlob(try enc.encode(config), mediaType: MediaType.ociConfig)
    let manifest = ImageManifest(config: configDesc, layers: layers.map(\.descriptor))
    var desc = try addBlob(try enc.encode(manifest), mediaType: MediaType.ociManifest)
    desc.platform = platform
    return desc
  }

  func addIndex(_ manifests: [Descriptor]) throws -> Descriptor {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    return try addBlob(try enc.encode(ImageIndex(manifests: manifests)), mediaType: MediaType.ociIndex)
  }

  /// Names `desc` as `tag` in index.json.
  func tag(_ desc: Descriptor, _ tag: String) throws {
    var d = desc
    d.platform = nil
    d.annotations = [Descriptor.Annotation.refName: tag]
    refs.append((d, tag))
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    try enc.encode(ImageIndex(manifests: refs.map(\.0))).write(to: URL(fileURLWithPath: dir + "/index.json"))
  }

  /// skopeo copy oci:<dir>:<tag> docker://<dest> (all platforms of an index).
  func copy(_ tag: String, to dest: String, creds: String? = nil, format: String? = nil) throws {
    var args = ["skopeo", "copy", "--all", "--quiet", "--dest-tls-verify=false"]
    if let creds { args += ["--dest-creds", creds] }
    if let format { args += ["--format", format] }
    args += ["oci:\(dir):\(tag)", "docker://\(dest)"]
    try run(args)
  }
}

func randomData(_ n: Int) -> Data {
  var g = SystemRandomNumberGenerator()
  var d = Data(count: n)
  d.withUnsafeMutableBytes { p in
    var i = 0
    while i + 8 <= n {
      p.storeBytes(of: g.next() as UInt64, toByteOffset: i, as: UInt64.self)
      i += 8
    }
    while i < n {
      p[i] = UInt8.random(in: 0...255)
      i += 1
    }
  }
  return d
}

/// A two-layer linux/amd64 image (a small text layer and a `bigSize` random layer) pushed
/// to `registry` as `repo:tag`. Returns the manifest descriptor and the layers.
func pushTestImage(
  _ layoutDir: String, to dest: String, creds: String? = nil, bigSize: Int = 300_000
) throws -> (manifest: Descriptor, layers: [TestLayer]) {
  let b = try OCILayoutBuilder(dir: layoutDir)
  let small = try b.addLayer(["hello.txt": Data("hello from berth\n".utf8)])
  let big = try b.addLayer(["random.bin": randomData(bigSize)])
  let m = try b.addImage([small, big])
  try b.tag(m, "v1")
  try b.copy("v1", to: dest, creds: creds)
  return (m, [small, big])
}
