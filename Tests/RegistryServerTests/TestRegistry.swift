// An in-process registry on 127.0.0.1 with a free port and a temporary root, plus push
// helpers speaking the API as a client would.
import ContentStore
import Foundation
import JSONCoding
import LinuxOS
import OCI
import RegistryServer

struct TestRegistry: Sendable {
  let server: RegistryServer
  let port: Int
  var root: String { server.configuration.root }

  func request(
    _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil, chunked: Bool = false
  ) async throws -> HTTPResult {
    try await TestHTTP.request(port, method, path, headers: headers, body: body, chunked: chunked)
  }

  /// Pushes a blob with POST then PUT; returns its digest.
  @discardableResult
  func pushBlob(_ name: String, _ bytes: [UInt8], headers: [(String, String)] = []) async throws -> Digest {
    let digest = SHA256Hasher.digest(bytes)
    let start = try await request("POST", "/v2/\(name)/blobs/uploads/", headers: headers)
    guard start.status == 202, let location = start.header("Location") else {
      throw TestFailure("POST upload: \(start)")
    }
    let done = try await request("PUT", "\(location)?digest=\(digest)", headers: headers, body: bytes)
    guard done.status == 201 else { throw TestFailure("PUT upload: \(done)") }
    return digest
  }

  /// Pushes a config and layers, then an OCI manifest under `reference`; returns the manifest's digest and bytes.
  @discardableResult
  func pushImage(
    _ name: String, _ reference: String, layers: [[UInt8]] = [Array("layer".utf8)], config: [UInt8] = Array("{}".utf8),
    subject: Descriptor? = nil, artifactType: String? = nil, annotations: [String: String]? = nil,
    headers: [(String, String)] = []
  ) async throws -> (digest: Digest, bytes: [UInt8]) {
    let configDigest = try await pushBlob(name, config, headers: headers)
    var descriptors: [Descriptor] = []
    for layer in layers {
      let d = try await pushBlob(name, layer, headers: headers)
      descriptors.append(Descriptor(mediaType: MediaType.ociLayerGzip, digest: d, size: Int64(layer.count)))
    }
    let manifest = ImageManifest(
      artifactType: artifactType,
      config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(config.count)),
      layers: descriptors, subject: subject, annotations: annotations)
    let bytes = try JSON.encode(manifest)
    let put = try await request(
      "PUT", "/v2/\(name)/manifests/\(reference)", headers: headers + [("Content-Type", MediaType.ociManifest)],
      body: bytes)
    guard put.status == 201 else { throw TestFailure("PUT manifest: \(put)") }
    return (SHA256Hasher.digest(bytes), bytes)
  }
}

/// A fresh temporary directory, removed afterwards.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
  var template = Array("/tmp/berth-registry-test-XXXXXX".utf8CString)
  guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
    throw TestFailure("mkdtemp failed")
  }
  let dir = String(cString: made)
  defer {
    do { try Files.removeTree(dir) } catch { print("could not remove \(dir): \(error)") }
  }
  return try await body(dir)
}

/// Starts a registry on 127.0.0.1:0 rooted in a temporary directory; stops it afterwards.
func withRegistry<R>(
  _ configure: (inout RegistryConfiguration) -> Void = { _ in }, _ body: (TestRegistry) async throws -> R
) async throws -> R {
  try await withTemporaryDirectory { dir in
    var configuration = RegistryConfiguration(root: dir + "/root", port: 0)
    configure(&configuration)
    let server = try RegistryServer(configuration: configuration)
    let port = try await server.start()
    do {
      let result = try await body(TestRegistry(server: server, port: port))
      await server.shutdown()
      return result
    } catch {
      await server.shutdown()
      throw error
    }
  }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
