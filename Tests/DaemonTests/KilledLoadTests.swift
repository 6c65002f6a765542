// A crash in the middle of `docker load`: berthd is killed with SIGKILL while it ingests a
// layer (the upload is paused half-way through the layer so the kill lands there for
// sure), and again after the layer is stored but before manifest.json has arrived. After
// each restart no image exists, and every blob under its final name holds exactly the
// bytes its digest names. Then the same archive loads completely and runs.
import Foundation
import Testing

@Suite(.serialized) struct KilledLoadTests {
  /// A docker-archive (legacy layout, what `docker save` of dockerd 20.10 writes) of a
  /// busybox rootfs plus 24 MiB of random bytes at /big, with manifest.json last. A 4 MiB
  /// file no image uses sits before it: berthd reads the upload in 1 MiB slices, so the
  /// layer is only complete once more than its own bytes have arrived.
  struct Archive {
    let path: String
    let layerDigestHex: String
    /// Byte offsets in the archive: where the layer's and the filler's data are.
    let layerData: Range<Int>
    let fillerData: Range<Int>
  }

  static func makeArchive(in dir: String) throws -> Archive {
    let staging = dir + "/load-staging"
    let rootfs = staging + "/rootfs"
    try FileManager.default.createDirectory(atPath: staging + "/layer", withIntermediateDirectories: true)
    var (rc, out) = try Integration.run(["/bin/sh", Integration.repoRoot + "/scripts/make-busybox-rootfs.sh", rootfs])
    try #require(rc == 0, "make-busybox-rootfs: \(out)")
    (rc, out) = try Integration.run([
      "/bin/dd", "if=/dev/urandom", "of=\(rootfs)/big", "bs=1M", "count=24", "status=none",
    ])
    try #require(rc == 0, "dd: \(out)")
    (rc, out) = try Integration.run(["/bin/tar", "-C", rootfs, "-cf", staging + "/layer/layer.tar", "."])
    try #require(rc == 0, "tar layer: \(out)")
    let layerHex = try sha256Hex(staging + "/layer/layer.tar")
    let config = """
      {"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},\
      "rootfs":{"type":"layers","diff_ids":["sha256:\(layerHex)"]}}
      """
    try config.write(toFile: staging + "/config.json", atomically: true, encoding: .utf8)
    let configHex = try sha256Hex(staging + "/config.json")
    try FileManager.default.moveItem(atPath: staging + "/config.json", toPath: staging + "/\(configHex).json")
    let manifest = """
      [{"Config":"\(configHex).json","RepoTags":["killload:latest"],"Layers":["layer/layer.tar"]}]
      """
    try manifest.write(toFile: staging + "/manifest.json", atomically: true, encoding: .utf8)
    (rc, out) = try Integration.run([
      "/bin/dd", "if=/dev/urandom", "of=\(staging)/filler", "bs=1M", "count=4", "status=none",
    ])
    try #require(rc == 0, "dd filler: \(out)")
    let path = dir + "/killload.tar"
    (rc, out) = try Integration.run([
      "/bin/tar", "-C", staging, "-cf", path, "\(configHex).json", "layer/layer.tar", "filler", "manifest.json",
    ])
    try #require(rc == 0, "tar archive: \(out)")
    try? FileManager.default.removeItem(atPath: staging)

    // Walk the tar headers for the offsets.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    var offset = 0
    var layerData: Range<Int>?
    var fillerData: Range<Int>?
    while offset + 512 <= bytes.count {
      let header = bytes[offset..<offset + 512]
      let name = String(decoding: header.prefix(100).prefix { $0 != 0 }, as: UTF8.self)
      if name.isEmpty { break }
      let sizeField = String(decoding: header.dropFirst(124).prefix(12).prefix { $0 != 0 && $0 != 32 }, as: UTF8.self)
      let size = Int(sizeField, radix: 8) ?? 0
      if name == "layer/layer.tar" { layerData = offset + 512..<offset + 512 + size }
      if name == "filler" { fillerData = offset + 512..<offset + 512 + size }
      offset += 512 + (size + 511) / 512 * 512
    }
    let layer = try #require(layerData)
    let filler = try #require(fillerData)
    return Archive(path: path, layerDigestHex: layerHex, layerData: layer, fillerData: filler)
  }

  static func sha256Hex(_ path: String) throws -> String {
    let (rc, out) = try Integration.run(["/usr/bin/sha256sum", path])
    try #require(rc == 0, "sha256sum: \(out)")
    return String(out.prefix(64))
  }

  /// Sends `POST /images/load` announcing the whole archive, writes only its first
  /// `count` bytes, waits until `ready()` holds, and then SIGKILLs berthd.
  static func killDuringUpload(_ d: TestBerthd, archive: Archive, count: Int, until ready: () -> Bool) throws {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, byte) in d.socket.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
    }
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    try #require(connected == 0, "connect \(d.socket): errno \(errno)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: archive.path))
    let head = """
      POST /v1.47/images/load?quiet=1 HTTP/1.1\r
      Host: docker\r
      Content-Type: application/x-tar\r
      Content-Length: \(bytes.count)\r
      \r

      """
    try writeAll(fd, Data(head.utf8))
    try writeAll(fd, bytes.prefix(count))
    var waited = 0
    while !ready() && waited < 200 {
      usleep(50_000)
      waited += 1
    }
    let (_, tree) = try Integration.run(["/usr/bin/find", d.dataRoot, "-ls"])
    try #require(ready(), "berthd never reached the point to kill it at: \(d.logText)\n\(tree)")
    d.kill9()
  }

  static func writeAll(_ fd: Int32, _ data: Data) throws {
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      guard let base = raw.baseAddress else { return }
      var offset = 0
      while offset < raw.count {
        let n = write(fd, base + offset, raw.count - offset)
        try #require(n > 0, "write to berthd: errno \(errno)")
        offset += n
      }
    }
  }

  /// Files in `dir` (not recursive), with their sizes.
  static func files(in dir: String) -> [(name: String, size: Int)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.map { name in
      let attributes = try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)
      return (name, (attributes?[.size] as? NSNumber)?.intValue ?? 0)
    }
  }

  /// No image, and every blob holds what its name says.
  static func expectConsistentStore(_ d: TestBerthd, _ when: String) throws {
    let (rc, out) = try d.docker("images", "-q", "--no-trunc")
    #expect(rc == 0, "\(when): docker images: \(out)")
    #expect(out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(when): an image exists: \(out)")
    let (inspect, _) = try d.docker("image", "inspect", "killload")
    #expect(inspect != 0, "\(when): killload:latest exists")
    let blobs = d.dataRoot + "/image/content/blobs/sha256"
    for blob in files(in: blobs) {
      #expect(try sha256Hex(blobs + "/" + blob.name) == blob.name, "\(when): blob \(blob.name) is not what it names")
    }
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func berthdKilledMidLoadLeavesNoHalfBlobAndNoImage() throws {
    let d = TestBerthd(tag: "killload")
    defer { d.cleanUp() }
    try d.start()
    let archive = try Self.makeArchive(in: d.dir)
    let content = d.dataRoot + "/image/content"

    // 1. Half-way through the layer: a partial ingest exists, only as a temp file.
    let halfLayer = archive.layerData.lowerBound + archive.layerData.count / 2
    try Self.killDuringUpload(d, archive: archive, count: halfLayer) {
      Self.files(in: content + "/ingest").contains { $0.size > 0 }
    }
    #expect(
      !FileManager.default.fileExists(atPath: content + "/blobs/sha256/" + archive.layerDigestHex),
      "the half-sent layer is under its final name")
    try d.start()
    try Self.expectConsistentStore(d, "killed mid-layer")

    // 2. After the whole layer, before manifest.json: the blob is complete, no image names it.
    try Self.killDuringUpload(d, archive: archive, count: archive.fillerData.lowerBound + (2 << 20)) {
      FileManager.default.fileExists(atPath: content + "/blobs/sha256/" + archive.layerDigestHex)
    }
    try d.start()
    try Self.expectConsistentStore(d, "killed before manifest.json")

    // 3. The same archive then loads completely and runs.
    var (rc, out) = try d.docker("load", "-i", archive.path)
    #expect(rc == 0 && out.contains("Loaded image: killload:latest"), "docker load: \(out)")
    (rc, out) = try d.docker("run", "--rm", "killload", "sh", "-c", "wc -c < /big")
    #expect(rc == 0 && out.trimmingCharacters(in: .whitespacesAndNewlines) == "25165824", "docker run: \(rc) \(out)")
  }
}
