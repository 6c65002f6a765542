// Pulls through berthd that are interrupted: the docker CLI killed mid-pull (berthd runs
// the pull to its end), berthd killed -9 mid-pull (the next berthd reuses every verified
// blob), and a registry serving a corrupted blob (a clear error, nothing stored). The
// registry is berth-registry on 127.0.0.1; a throttling proxy of the test's own (python3,
// 127.0.0.1 only) in front of it makes the pull slow enough to interrupt, and logs every
// request so the tests can count blob fetches.
import Foundation
import Testing

/// A TCP proxy: the responses all connections share `rate` bytes/s; each request line and
/// Range header the clients send is logged as JSON to <log>.
private let throttlingProxyScript = #"""
  import sys, socket, threading, time, json
  upstream, rate, logfile = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
  lock = threading.Lock()
  budget = {'start': time.monotonic(), 'sent': 0}
  def log_requests(data):
      for block in data.decode('latin-1').split('\r\n\r\n'):
          lines = block.split('\r\n')
          if not lines or ' HTTP/1.' not in lines[0]: continue
          method, path = lines[0].split(' ')[:2]
          rng = next((l.split(':', 1)[1].strip() for l in lines[1:] if l.lower().startswith('range:')), None)
          with lock:
              open(logfile, 'a').write(json.dumps({'method': method, 'path': path, 'range': rng}) + '\n')
  def throttle(n):
      with lock:
          now = time.monotonic()
          if now - budget['start'] > 1 and budget['sent'] / rate < now - budget['start'] - 1:
              budget['start'], budget['sent'] = now, 0  # idle: no burst after a pause
          budget['sent'] += n
          due = budget['start'] + budget['sent'] / rate
      time.sleep(max(0, due - time.monotonic()))
  def pipe(src, dst, responses):
      try:
          while True:
              data = src.recv(65536)
              if not data: break
              if responses: throttle(len(data))
              else: log_requests(data)
              dst.sendall(data)
      except OSError:
          pass
      finally:
          for s in (src, dst):
              try: s.shutdown(socket.SHUT_RDWR)
              except OSError: pass
  def serve(client):
      try:
          up = socket.create_connection(('127.0.0.1', upstream))
      except OSError:
          client.close(); return
      threading.Thread(target=pipe, args=(client, up, False), daemon=True).start()
      threading.Thread(target=pipe, args=(up, client, True), daemon=True).start()
  srv = socket.socket()
  srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
  srv.bind(('127.0.0.1', 0))
  srv.listen(64)
  print(srv.getsockname()[1], flush=True)
  while True:
      c, _ = srv.accept()
      threading.Thread(target=serve, args=(c,), daemon=True).start()
  """#

/// Writes an OCI layout with one linux/amd64 image tagged v1: one layer per size, each a tar
/// of that many random bytes, gzipped. Prints {"layers": [digest…], "manifest": digest}.
private let layoutScript = #"""
  import sys, os, json, hashlib, gzip, tarfile, io
  out, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
  os.makedirs(out + '/blobs/sha256', exist_ok=True)
  def blob(data, media):
      d = hashlib.sha256(data).hexdigest()
      open(out + '/blobs/sha256/' + d, 'wb').write(data)
      return {'mediaType': media, 'digest': 'sha256:' + d, 'size': len(data)}
  layers, diffs = [], []
  for i, n in enumerate(sizes):
      buf = io.BytesIO()
      with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as tf:
          ti = tarfile.TarInfo('layer%d.bin' % i); ti.size = n; ti.mode = 0o644; ti.mtime = 1000000000
          tf.addfile(ti, io.BytesIO(os.urandom(n)))
      raw = buf.getvalue()
      diffs.append('sha256:' + hashlib.sha256(raw).hexdigest())
      layers.append(blob(gzip.compress(raw, compresslevel=1, mtime=0), 'application/vnd.oci.image.layer.v1.tar+gzip'))
  config = {'architecture': 'amd64', 'os': 'linux', 'config': {'Cmd': ['sh']},
            'rootfs': {'type': 'layers', 'diff_ids': diffs}}
  c = blob(json.dumps(config).encode(), 'application/vnd.oci.image.config.v1+json')
  m = blob(json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
                       'config': c, 'layers': layers}).encode(), 'application/vnd.oci.image.manifest.v1+json')
  m['annotations'] = {'org.opencontainers.image.ref.name': 'v1'}
  json.dump({'schemaVersion': 2, 'manifests': [m]}, open(out + '/index.json', 'w'))
  open(out + '/oci-layout', 'w').write('{"imageLayoutVersion":"1.0.0"}')
  print(json.dumps({'layers': [l['digest'] for l in layers], 'manifest': m['digest']}))
  """#

@Suite(.serialized) struct PullInterruptionTests {
  static let python = "/usr/bin/python3"
  static let skopeo = "/usr/bin/skopeo"

  static var missing: String? {
    if let m = RegistryEngineTests.missing { return m }
    for tool in [python, skopeo] where !FileManager.default.isExecutableFile(atPath: tool) {
      return "needs \(tool)"
    }
    return nil
  }

  /// The throttling proxy, by pid.
  final class Proxy {
    let process = Process()
    let port: Int
    let logPath: String

    init(dir: String, upstream: Int, bytesPerSecond: Int) throws {
      let script = dir + "/throttle.py"
      try throttlingProxyScript.write(toFile: script, atomically: true, encoding: .utf8)
      logPath = dir + "/proxy-requests.log"
      FileManager.default.createFile(atPath: logPath, contents: nil)
      process.executableURL = URL(fileURLWithPath: PullInterruptionTests.python)
      process.arguments = [script, String(upstream), String(bytesPerSecond), logPath]
      let out = Pipe()
      process.standardOutput = out
      process.standardError = FileHandle.nullDevice
      try process.run()
      var line = Data()
      while !line.contains(0x0a) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
      }
      guard let p = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
      else {
        kill(process.processIdentifier, SIGKILL)
        Integration.awaitExit(process)
        throw IntegrationError("the throttling proxy did not say its port")
      }
      port = p
    }

    func stop() {
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      Integration.awaitExit(process)
    }

    struct Request: Decodable {
      var method: String
      var path: String
      var range: String?
    }

    var requests: [Request] {
      ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
        try? JSONDecoder().decode(Request.self, from: Data($0.utf8))
      }
    }

    /// The GETs of one blob, with their Range headers.
    func blobGets(_ digest: String) -> [Request] {
      requests.filter { $0.method == "GET" && $0.path.hasSuffix("/blobs/" + digest) }
    }
  }

  struct PushedImage: Decodable {
    var layers: [String]
    var manifest: String
  }

  /// An image with layers of `sizes` random bytes, pushed by skopeo to the registry.
  static func pushImage(_ d: TestBerthd, registry: RegistryEngineTests.Registry, sizes: [Int]) throws -> PushedImage {
    let layout = d.dir + "/layout"
    let script = d.dir + "/layout.py"
    try layoutScript.write(toFile: script, atomically: true, encoding: .utf8)
    var (rc, out) = try Integration.run([python, script, layout] + sizes.map(String.init))
    try #require(rc == 0, "layout: \(out)")
    let image = try JSONDecoder().decode(PushedImage.self, from: Data(out.utf8))
    (rc, out) = try Integration.run([
      skopeo, "copy", "--quiet", "--dest-tls-verify=false", "oci:\(layout):v1",
      "docker://127.0.0.1:\(registry.port)/test/app:v1",
    ])
    try #require(rc == 0, "skopeo copy: \(out)")
    try? FileManager.default.removeItem(atPath: layout)  // pushed; only disk space
    return image
  }

  // MARK: what berthd's image store holds

  static func content(_ d: TestBerthd) -> String { d.dataRoot + "/image/content" }

  static func hasBlob(_ d: TestBerthd, _ digest: String) -> Bool {
    FileManager.default.fileExists(atPath: content(d) + "/blobs/sha256/" + digest.dropFirst("sha256:".count))
  }

  /// Partial downloads: files in the content store's ingest directory, with their sizes.
  static func ingests(_ d: TestBerthd) -> [String: Int] {
    let dir = content(d) + "/ingest"
    var out: [String: Int] = [:]
    for name in TestBerthd.entries(dir) {
      let attributes = try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)
      out[name] = (attributes?[.size] as? Int) ?? 0
    }
    return out
  }

  /// Layers being applied, or left half-applied: the snapshotter's "extract-…" snapshots.
  static func extractSnapshots(_ d: TestBerthd) -> Int {
    let metadata = (try? String(contentsOfFile: d.dataRoot + "/image/snapshots/metadata.json", encoding: .utf8)) ?? ""
    return metadata.components(separatedBy: "\"extract-").count - 1
  }

  static func imageExists(_ d: TestBerthd, _ name: String) -> Bool {
    (try? RegistryEngineTests.docker(d, "image", "inspect", "-f", "{{.Id}}", name))?.0 == 0
  }

  /// `docker pull name` in the background, its output in a file.
  static func startPull(_ d: TestBerthd, _ name: String, output: String) throws -> Process {
    FileManager.default.createFile(atPath: output, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: TestBerthd.dockerBinary)
    p.arguments = ["pull", name]
    var env = d.environment
    env["PATH"] = "/usr/local/bin"
    p.environment = env
    p.standardOutput = handle
    p.standardError = handle
    p.standardInput = FileHandle.nullDevice
    try p.run()
    return p
  }

  static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      usleep(50_000)
    }
    return condition()
  }

  /// Sizes: two small layers and one large one that takes seconds through the proxy, and is
  /// above the client's ranged-fetch threshold (32 MiB), so it comes as concurrent ranges.
  static let sizes = [1 << 20, 2 << 20, 40 << 20]
  static let rate = 8 << 20

  @Test(.enabled(if: PullInterruptionTests.missing == nil, "needs root, docker, berth-registry, python3, skopeo"))
  func clientGoneMidPullBerthdFinishesThePull() throws {
    let d = TestBerthd(tag: "pullgone")
    defer { d.cleanUp() }
    try d.start()
    let registry = try RegistryEngineTests.Registry(root: d.dir + "/registry")
    defer { registry.stop() }
    let image = try Self.pushImage(d, registry: registry, sizes: Self.sizes)
    let proxy = try Proxy(dir: d.dir, upstream: registry.port, bytesPerSecond: Self.rate)
    defer { proxy.stop() }
    let name = "127.0.0.1:\(proxy.port)/test/app:v1"
    let big = image.layers[2]

    let pull = try Self.startPull(d, name, output: d.dir + "/pull.out")
    // Gone once the large layer is on its way.
    let started = Self.waitFor(seconds: 30) { Self.ingests(d).values.contains { $0 > 1 << 20 } }
    kill(pull.processIdentifier, SIGKILL)
    Integration.awaitExit(pull)
    try #require(started, "the large layer never started downloading")
    #expect(!Self.imageExists(d, name), "the pull was not interrupted: it had already finished")

    // berthd goes on to the end, cleanly.
    #expect(Self.waitFor(seconds: 60) { Self.imageExists(d, name) }, "berthd did not finish the pull: \(d.logText)")
    #expect(Self.waitFor(seconds: 10) { Self.ingests(d).isEmpty && Self.extractSnapshots(d) == 0 })
    #expect(Self.ingests(d).isEmpty, "partial downloads left: \(Self.ingests(d))")
    #expect(Self.extractSnapshots(d) == 0, "half-applied layers left")
    for layer in image.layers { #expect(Self.hasBlob(d, layer), "blob \(layer) not stored") }

    // The next pull finds it all and fetches no blob again.
    let (rc, out) = try RegistryEngineTests.docker(d, "pull", name)
    #expect(rc == 0 && out.contains("Image is up to date"), "second pull: \(out)")
    for layer in image.layers.dropLast() {
      #expect(proxy.blobGets(layer).count == 1, "GETs of \(layer): \(proxy.blobGets(layer).map(\.range))")
    }
    let bigRanges = proxy.blobGets(big).map { $0.range ?? "whole" }
    #expect(Set(bigRanges).count == bigRanges.count, "a range of the large layer fetched twice: \(bigRanges)")
    #expect(try RegistryEngineTests.docker(d, "rmi", name).0 == 0)
  }

  @Test(.enabled(if: PullInterruptionTests.missing == nil, "needs root, docker, berth-registry, python3, skopeo"))
  func berthdKilledMidPullTheNextPullReusesVerifiedBlobs() throws {
    let d = TestBerthd(tag: "pullkill")
    defer { d.cleanUp() }
    try d.start()
    let registry = try RegistryEngineTests.Registry(root: d.dir + "/registry")
    defer { registry.stop() }
    let image = try Self.pushImage(d, registry: registry, sizes: Self.sizes)
    let proxy = try Proxy(dir: d.dir, upstream: registry.port, bytesPerSecond: Self.rate)
    defer { proxy.stop() }
    let name = "127.0.0.1:\(proxy.port)/test/app:v1"
    let (small, big) = (image.layers.dropLast(), image.layers[2])

    let pull = try Self.startPull(d, name, output: d.dir + "/pull.out")
    defer {
      if pull.isRunning { kill(pull.processIdentifier, SIGKILL) }
      Integration.awaitExit(pull)
    }
    // Killed once the small layers are in and the large one is partly downloaded.
    let midway = Self.waitFor(seconds: 30) {
      small.allSatisfy { Self.hasBlob(d, $0) } && Self.ingests(d).values.contains { $0 > 4 << 20 }
    }
    d.kill9()
    try #require(midway, "never saw the small layers stored with the large one under way: \(Self.ingests(d))")
    #expect(!Self.hasBlob(d, big))
    Integration.awaitExit(pull)
    #expect(pull.terminationStatus != 0)

    // A new berthd on the same data root: nothing half-done is left from the killed one.
    try d.start()
    #expect(Self.ingests(d).isEmpty, "partial downloads left after the restart: \(Self.ingests(d))")
    #expect(Self.extractSnapshots(d) == 0, "half-applied layers left after the restart")
    #expect(!Self.imageExists(d, name))

    let (rc, out) = try RegistryEngineTests.docker(d, "pull", name)
    #expect(rc == 0 && out.contains("Downloaded newer image"), "pull after the restart: \(out)")
    // Each verified blob was fetched once, by the killed berthd; the torn one again.
    for layer in small {
      #expect(proxy.blobGets(layer).count == 1, "GETs of \(layer): \(proxy.blobGets(layer).map(\.range))")
    }
    #expect(out.contains("Already exists"), "pull after the restart: \(out)")
    #expect(Self.hasBlob(d, big))
    #expect(Self.ingests(d).isEmpty && Self.extractSnapshots(d) == 0)
    let (rcRun, outRun) = try RegistryEngineTests.docker(d, "create", name)
    #expect(rcRun == 0, "create from the pulled image: \(outRun)")
  }

  @Test(.enabled(if: PullInterruptionTests.missing == nil, "needs root, docker, berth-registry, python3, skopeo"))
  func corruptedBlobFailsThePullAndNothingIsStored() throws {
    let d = TestBerthd(tag: "pullbad")
    defer { d.cleanUp() }
    try d.start()
    let registry = try RegistryEngineTests.Registry(root: d.dir + "/registry")
    defer { registry.stop() }
    let image = try Self.pushImage(d, registry: registry, sizes: [1 << 20, 3 << 20])
    let bad = image.layers[1]
    // One byte of the registry's stored copy flipped: same size, wrong digest.
    let path = d.dir + "/registry/blobs/sha256/" + bad.dropFirst("sha256:".count)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count / 2] ^= 0xff
    try bytes.write(to: URL(fileURLWithPath: path))
    let name = "127.0.0.1:\(registry.port)/test/app:v1"

    let (rc, out) = try RegistryEngineTests.docker(d, "pull", name)
    #expect(rc != 0, "pull of a corrupted image: \(out)")
    #expect(
      out.contains("failed verification") && out.contains(bad) && out.contains("nothing was stored"),
      "a clear error: \(out)")
    #expect(!Self.hasBlob(d, bad))
    #expect(!Self.imageExists(d, name))
    #expect(Self.ingests(d).isEmpty, "partial downloads left: \(Self.ingests(d))")
    #expect(Self.extractSnapshots(d) == 0, "half-applied layers left")
    let (_, images) = try RegistryEngineTests.docker(d, "images", "-q")
    #expect(images.isEmpty, "images: \(images)")
  }

  /// Not an interruption, but the same setup: `GET /distribution/{name}/json` of a single
  /// manifest lists the platform its config names, as dockerd's does.
  @Test(.enabled(if: PullInterruptionTests.missing == nil, "needs root, docker, berth-registry, python3, skopeo"))
  func distributionInspectOfASingleManifestListsItsPlatform() throws {
    let d = TestBerthd(tag: "distinsp")
    defer { d.cleanUp() }
    try d.start()
    let registry = try RegistryEngineTests.Registry(root: d.dir + "/registry")
    defer { registry.stop() }
    let image = try Self.pushImage(d, registry: registry, sizes: [1000])
    let (rc, out) = try Integration.run([
      "/usr/bin/curl", "-sS", "--unix-socket", d.socket,
      "http://localhost/v1.47/distribution/127.0.0.1:\(registry.port)/test/app:v1/json",
    ])
    #expect(rc == 0, "curl: \(out)")
    struct Inspect: Decodable {
      struct Descriptor: Decodable { var digest: String }
      struct Platform: Decodable {
        var architecture: String
        var os: String
      }
      var Descriptor: Descriptor
      var Platforms: [Platform]
    }
    let inspect = try JSONDecoder().decode(Inspect.self, from: Data(out.utf8))
    #expect(inspect.Descriptor.digest == image.manifest)
    #expect(inspect.Platforms.map { "\($0.os)/\($0.architecture)" } == ["linux/amd64"], "\(out)")
  }
}
