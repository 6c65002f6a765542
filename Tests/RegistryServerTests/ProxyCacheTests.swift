// Pull-through cache: misses are fetched from the upstream registry, verified, stored
// and then served without it.
import ContentStore
import Foundation
import JSONCoding
import OCI
import RegistryServer
import Testing

@Suite struct ProxyCacheTests {
  @Test func fetchesStoresAndServesWithoutUpstream() async throws {
    try await withTemporaryDirectory { dir in
      let upstream = try RegistryServer(configuration: RegistryConfiguration(root: dir + "/up", port: 0))
      let upstreamPort = try await upstream.start()
      let layer = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
      let pushed: (digest: Digest, bytes: [UInt8])
      do {
        pushed = try await TestRegistry(server: upstream, port: upstreamPort).pushImage(
          "lib/cached", "v1", layers: [layer])
      } catch {
        await upstream.shutdown()
        throw error
      }
      var configuration = RegistryConfiguration(root: dir + "/cache", port: 0)
      configuration.proxyRemoteURL = "http://127.0.0.1:\(upstreamPort)"
      let cache = try RegistryServer(configuration: configuration)
      let cachePort = try await cache.start()
      let r = TestRegistry(server: cache, port: cachePort)
      do {
        let manifest = try await r.request(
          "GET", "/v2/lib/cached/manifests/v1", headers: [("Accept", MediaType.ociManifest)])
        #expect(manifest.status == 200)
        #expect(manifest.body == pushed.bytes)
        #expect(manifest.header("Docker-Content-Digest") == pushed.digest.string)
        let layerDigest = SHA256Hasher.digest(layer)
        let blob = try await r.request("GET", "/v2/lib/cached/blobs/\(layerDigest)")
        #expect(blob.body == layer)
        let missing = try await r.request("GET", "/v2/lib/cached/blobs/\(SHA256Hasher.digest(bytes("none")))")
        #expect(missing.status == 404)
        #expect(cache.storage.blobs.contains(layerDigest))

        // Upstream gone: the cache still serves what it fetched.
        await upstream.shutdown()
        #expect(try await r.request("GET", "/v2/lib/cached/manifests/v1").body == pushed.bytes)
        #expect(
          try await r.request("GET", "/v2/lib/cached/blobs/\(layerDigest)", headers: [("Range", "bytes=0-9")]).body
            == Array(layer[0..<10]))
        #expect(try await r.request("GET", "/v2/lib/cached/manifests/\(pushed.digest)").status == 200)
      } catch {
        await upstream.shutdown()
        await cache.shutdown()
        throw error
      }
      await cache.shutdown()
    }
  }
}
