// Interrupted and corrupted downloads, through a small HTTP proxy (python3) that cuts blob
// responses mid-way, and a registry whose stored blob was altered on disk.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

/// Forwards to the registry; a GET of a blob listed in <control> ({"sha256:…": n}) is cut
/// after half its body (after none of it with "zero": true), n times. Every request is logged as JSON to <log>.
let flakyProxyScript = #"""
  import sys, json, threading, socket, http.client
  from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
  upstream, control, logfile = int(sys.argv[1]), sys.argv[2], sys.argv[3]
  lock = threading.Lock()
  def take_cut(digest):
      with lock:
          cuts = json.load(open(control))
          n = cuts.get(digest, 0)
          if n <= 0: return None
          cuts[digest] = n - 1
          json.dump(cuts, open(control, 'w'))
          return 'busy' if cuts.get('busy') else 0 if cuts.get('zero') else 0.5
  class H(BaseHTTPRequestHandler):
      protocol_version = 'HTTP/1.1'
      def log_message(self, *a): pass
      def forward(self):
          digest = self.path.split('/blobs/')[1] if '/blobs/sha256:' in self.path else None
          if digest and self.command == 'GET' and json.load(open(control)).get('busy') and take_cut(digest):
              with lock:
                  open(logfile, 'a').write(json.dumps({'method': 'GET', 'path': self.path, 'range': None, 'status': 503}) + '\n')
              body = b'{"errors":[{"code":"UNAVAILABLE","message":"busy"}]}'
              self.send_response(503); self.send_header('Content-Length', str(len(body))); self.end_headers()
              self.wfile.write(body)
              return
          n = int(self.headers.get('Content-Length') or 0)
          body = self.rfile.read(n) if n else None
          conn = http.client.HTTPConnection('127.0.0.1', upstream)
          hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ('host', 'connection')}
          conn.request(self.command, self.path, body=body, headers=hdrs)
          r = conn.getresponse()
          data = r.read()
          with lock:
              open(logfile, 'a').write(json.dumps({'method': self.command, 'path': self.path,
                  'range': self.headers.get('Range'), 'status': r.status}) + '\n')
          self.send_response(r.status)
          length = None
          for k, v in r.getheaders():
              if k.lower() == 'content-length': length = v
              if k.lower() in ('connection', 'transfer-encoding', 'content-length'): continue
              self.send_header(k, v)
          self.send_header('Content-Length', length if self.command == 'HEAD' and length else str(len(data)))
          self.end_headers()
          if self.command == 'HEAD': return
          digest = self.path.split('/blobs/')[1] if '/blobs/sha256:' in self.path else None
          cut = take_cut(digest) if digest and self.command == 'GET' and len(data) > 1 else None
          if cut is not None:
              self.wfile.write(data[:int(len(data) * cut)]); self.wfile.flush()
              self.connection.shutdown(socket.SHUT_RDWR)
              self.close_connection = True
              return
          self.wfile.write(data)
      do_GET = forward
      do_HEAD = forward
  srv = ThreadingHTTPServer(('127.0.0.1', 0), H)
  print(srv.server_address[1], flush=True)
  srv.serve_forever()
  """#

final class FlakyProxy: @unchecked Sendable {
  let child: Child
  let port: Int
  let controlPath: String
  let logPath: String
  var host: String { "127.0.0.1:\(port)" }

  init(dir: String, upstreamPort: Int) throws {
    controlPath = dir + "/proxy-control.json"
    logPath = dir + "/proxy-requests.log"
    try "{}".write(toFile: controlPath, atomically: true, encoding: .utf8)
    FileManager.default.createFile(atPath: logPath, contents: nil)
    try flakyProxyScript.write(toFile: dir + "/proxy.py", atomically: true, encoding: .utf8)
    child = try Child(
      ["/usr/bin/python3", dir + "/proxy.py", String(upstreamPort), controlPath, logPath], log: dir + "/proxy.out")
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
      throw TestFailure("proxy did not start: \(child.log)")
    }
    self.port = port
  }

  /// Cut the next `times` GETs of `digest` half-way (or before the first body byte).
  func cut(_ digest: Digest, times: Int, beforeAnyByte: Bool = false) throws {
    try "{\"\(digest)\": \(times), \"zero\": \(beforeAnyByte)}".write(
      toFile: controlPath, atomically: false, encoding: .utf8)
  }

  /// Answer the next `times` GETs of `digest` with 503.
  func busy(_ digest: Digest, times: Int) throws {
    try "{\"\(digest)\": \(times), \"busy\": true}".write(toFile: controlPath, atomically: false, encoding: .utf8)
  }

  struct Request: Decodable {
    var method: String
    var path: String
    var range: String?
    var status: Int
  }

  var requests: [Request] {
    ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
      try? JSONDecoder().decode(Request.self, from: Data($0.utf8))
    }
  }

  func blobGets(_ digest: Digest) -> [Request] {
    requests.filter { $0.method == "GET" && $0.path.hasSuffix("/blobs/\(digest)") }
  }
}

func withProxy<R>(_ dir: String, upstream: TestRegistry, _ body: (FlakyProxy) async throws -> R) async throws -> R {
  let p = try FlakyProxy(dir: dir, upstreamPort: upstream.port)
  defer { p.child.stop() }
  return try await body(p)
}

func ingestLeftovers(_ store: ImageStore) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: store.content.root + "/ingest")
}

@Suite(.enabled(if: haveTools && isRoot, "needs root, docker-registry, skopeo, htpasswd, openssl"))
struct InterruptionTests {
  @Test func droppedConnectionResumesWithRange() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (m, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/t/app:v1", bigSize: 2_000_000)
        try await withProxy(dir, upstream: reg) { proxy in
          let big = layers[1].descriptor
          try proxy.cut(big.digest, times: 2)
          let store = try ImageStore(root: dir + "/store")
          let pulled = try await withClient { c in
            try await c.pull(
              reference: try ImageReference(parsing: "\(proxy.host)/t/app:v1"), into: store, unpack: false)
          }
          #expect(pulled.image.manifestDescriptor.digest == m.digest)
          #expect(store.content.info(big.digest)?.size == big.size)
          let gets = proxy.blobGets(big.digest)
          #expect(gets.count == 3)
          #expect(gets[0].range == nil)
          // Resumed where the data stopped, not from the start.
          #expect(gets.dropFirst().allSatisfy { ($0.range ?? "").hasPrefix("bytes=") && $0.range != "bytes=0-" })
          #expect(try ingestLeftovers(store).isEmpty)
        }
      }
    }
  }

  @Test func busyRegistryIsRetried() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (m, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/t/app:v1")
        try await withProxy(dir, upstream: reg) { proxy in
          let big = layers[1].descriptor
          try proxy.busy(big.digest, times: 2)
          let store = try ImageStore(root: dir + "/store")
          let pulled = try await withClient { c in
            try await c.pull(
              reference: try ImageReference(parsing: "\(proxy.host)/t/app:v1"), into: store, unpack: false)
          }
          #expect(pulled.image.manifestDescriptor.digest == m.digest)
          #expect(proxy.blobGets(big.digest).map(\.status) == [503, 503, 200])
        }
      }
    }
  }

  @Test func largeBlobFetchedAsConcurrentRangesSurvivesACutPart() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (_, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/t/app:v1", bigSize: 3_000_000)
        try await withProxy(dir, upstream: reg) { proxy in
          let big = layers[1].descriptor
          try proxy.cut(big.digest, times: 1)
          let store = try ImageStore(root: dir + "/store")
          var conf = RegistryClientConfiguration()
          conf.rangedFetchThreshold = 1 << 20
          conf.rangeParts = 4
          _ = try await withClient(conf) { c in
            try await c.pull(
              reference: try ImageReference(parsing: "\(proxy.host)/t/app:v1"), into: store, unpack: false)
          }
          #expect(store.content.info(big.digest)?.size == big.size)
          let ranges = proxy.blobGets(big.digest).compactMap(\.range)
          // Four parts, each a closed range, plus one resumed part.
          #expect(ranges.count == 5)
          #expect(ranges.allSatisfy { $0.hasPrefix("bytes=") && !$0.hasSuffix("-") })
          #expect(ranges.contains { $0.hasPrefix("bytes=0-") })
        }
      }
    }
  }

  @Test func killedPullKeepsVerifiedBlobsAndTheNextPullReusesThem() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (m, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/t/app:v1", bigSize: 1_000_000)
        let store = try ImageStore(root: dir + "/store")
        let (small, big) = (layers[0].descriptor, layers[1].descriptor)
        try await withProxy(dir, upstream: reg) { proxy in
          try proxy.cut(big.digest, times: 100, beforeAnyByte: true)
          var conf = RegistryClientConfiguration()
          conf.maxAttempts = 2
          await #expect {
            try await withClient(conf) { c in
              try await c.pull(
                reference: try ImageReference(parsing: "\(proxy.host)/t/app:v1"), into: store, unpack: false)
            }
          } throws: { e in "\(e)".contains("transfer failed after 2 attempts") }
        }
        // The small layer was verified and committed; the torn one left nothing; no name.
        #expect(store.content.contains(small.digest))
        #expect(!store.content.contains(big.digest))
        #expect(try ingestLeftovers(store).isEmpty)
        #expect(store.list().isEmpty)
        // The next pull (directly) reuses the small layer and fetches only the big one.
        let log = ProgressLog()
        let pulled = try await withClient { c in
          try await c.pull(
            reference: try ImageReference(parsing: "\(reg.host)/t/app:v1"), into: store, unpack: false,
            progress: log.handler)
        }
        #expect(pulled.image.manifestDescriptor.digest == m.digest)
        #expect(log.statuses(small.digest.shortHex) == ["Already exists"])
        #expect(log.statuses(big.digest.shortHex).first == "Pulling fs layer")
      }
    }
  }

  @Test func corruptedBlobIsRejectedAndNothingIsStored() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (_, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/t/app:v1")
        let big = layers[1].descriptor
        // Flip one byte of the registry's stored copy (same size, wrong digest).
        let path = reg.blobPath(big.digest)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0xff
        try bytes.write(to: URL(fileURLWithPath: path))
        let store = try ImageStore(root: dir + "/store")
        await #expect {
          try await withClient { c in
            try await c.pull(
              reference: try ImageReference(parsing: "\(reg.host)/t/app:v1"), into: store, unpack: false)
          }
        } throws: { e in
          guard let e = e as? RegistryError, case .digestMismatch(_, let expected, _) = e else { return false }
          return expected == big.digest && "\(e)".contains("nothing was stored")
        }
        #expect(!store.content.contains(big.digest))
        #expect(try ingestLeftovers(store).isEmpty)
        #expect(store.list().isEmpty)
      }
    }
  }

  @Test func concurrentPullsOfOneImageFetchEachBlobOnce() async throws {
    try await withTempDir { dir in
      try await withRegistry(dir + "/reg") { reg in
        let (m, layers) = try pushTestImage(dir + "/layout", to: "\(reg.host)/t/app:v1", bigSize: 4_000_000)
        try await withProxy(dir, upstream: reg) { proxy in
          let store = try ImageStore(root: dir + "/store")
          let ref = try ImageReference(parsing: "\(proxy.host)/t/app:v1")
          let digests = try await withClient { c in
            async let a = c.pull(reference: ref, into: store, unpack: false)
            async let b = c.pull(reference: ref, into: store, unpack: false)
            return try await [a.image.manifestDescriptor.digest, b.image.manifestDescriptor.digest]
          }
          #expect(digests == [m.digest, m.digest])
          for l in layers { #expect(proxy.blobGets(l.descriptor.digest).count == 1) }
        }
      }
    }
  }
}
