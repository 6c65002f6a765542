// A layer is unpacked while it downloads: a proxy (python3, 127.0.0.1) holds every blob
// response after half its body until the test says go; the layer's first file must appear
// in its snapshot before that, while the blob is not in the store yet. Then the pull
// finishes, verified, as any other.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

/// Forwards to the registry; a GET of a blob sends half the body, then waits for <go>.
private let holdingProxyScript = #"""
  import sys, os, time, http.client
  from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
  upstream, go = int(sys.argv[1]), sys.argv[2]
  class H(BaseHTTPRequestHandler):
      protocol_version = 'HTTP/1.1'
      def log_message(self, *a): pass
      def forward(self):
          conn = http.client.HTTPConnection('127.0.0.1', upstream)
          hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ('host', 'connection')}
          conn.request(self.command, self.path, headers=hdrs)
          r = conn.getresponse()
          data = r.read()
          self.send_response(r.status)
          for k, v in r.getheaders():
              if k.lower() in ('connection', 'transfer-encoding', 'content-length'): continue
              self.send_header(k, v)
          self.send_header('Content-Length', r.getheader('Content-Length') if self.command == 'HEAD' else str(len(data)))
          self.end_headers()
          if self.command == 'HEAD': return
          held = '/blobs/sha256:' in self.path and len(data) > 100000
          half = len(data) // 2 if held else len(data)
          self.wfile.write(data[:half]); self.wfile.flush()
          while held and not os.path.exists(go): time.sleep(0.02)
          self.wfile.write(data[half:])
      do_GET = forward
      do_HEAD = forward
  srv = ThreadingHTTPServer(('127.0.0.1', 0), H)
  print(srv.server_address[1], flush=True)
  srv.serve_forever()
  """#

@Suite(.enabled(if: haveTools && isRoot, "needs root, docker-registry, skopeo, htpasswd, openssl"))
struct StreamedUnpackTests {
  /// The snapshot directories (`fs`) holding `path`.
  static func unpacked(_ store: ImageStore, _ path: String) -> Bool {
    let dir = store.snapshots.root + "/snapshots"
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return ids.contains { FileManager.default.fileExists(atPath: "\(dir)/\($0)/fs/\(path)") }
  }

  @Test(arguments: [false, true])
  func layerIsUnpackedWhileItDownloads(ranged: Bool) async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let b = try OCILayoutBuilder(dir: dir + "/layout")
        // Random bytes do not compress: the first half of each range's body holds more
        // than the 1 MiB the decompressor fills before it hands anything on.
        let layer = try b.addLayer(["a.bin": randomData(4 << 20), "b.bin": randomData(4 << 20)])
        let m = try b.addImage([layer])
        try b.tag(m, "v1")
        try b.copy("v1", to: "\(reg.host)/s/app:v1")
        try await runChild(dir, upstream: reg.port) { proxyPort, go in
          let store = try ImageStore(root: dir + "/store")
          var conf = RegistryClientConfiguration()
          if ranged {
            conf.rangedFetchThreshold = 1 << 20
            conf.rangeParts = 2
          }
          let ref = try ImageReference(parsing: "127.0.0.1:\(proxyPort)/s/app:v1")
          try await withClient(conf) { c in
            let pull = Task { try await c.pull(reference: ref, into: store) }
            var early = false
            for _ in 0..<200 where !early {
              try await Task.sleep(for: .milliseconds(25))
              early = Self.unpacked(store, "data/a.bin") && !store.content.contains(layer.descriptor.digest)
            }
            FileManager.default.createFile(atPath: go, contents: nil)
            let pulled = try await pull.value
            #expect(early, "the layer's first file appeared only after its download")
            #expect(pulled.image.manifestDescriptor.digest == m.digest)
            #expect(store.content.contains(layer.descriptor.digest))
            let top = try #require(try store.unpack(pulled.image))
            let fs = try store.snapshots.filesystemDirectory(top)
            let last = try Data(contentsOf: URL(fileURLWithPath: fs + "/data/b.bin"))
            #expect(last.count == 4 << 20)
            #expect(try ingestLeftovers(store).isEmpty)
          }
        }
      }
    }
  }

  /// The holding proxy in front of `upstream`; `body` gets its port and the go file's path.
  func runChild(_ dir: String, upstream: Int, _ body: (Int, String) async throws -> Void) async throws {
    try holdingProxyScript.write(toFile: dir + "/hold.py", atomically: true, encoding: .utf8)
    let go = dir + "/go"
    let child = try Child(["/usr/bin/python3", dir + "/hold.py", String(upstream), go], log: dir + "/hold.out")
    defer { child.stop() }
    var port = 0
    for _ in 0..<200 where port == 0 {
      port = Int(child.log.split(separator: "\n").first ?? "") ?? 0
      if port == 0 { usleep(25_000) }
    }
    guard port > 0 else { throw TestFailure("the holding proxy did not start: \(child.log)") }
    try await body(port, go)
  }
}
