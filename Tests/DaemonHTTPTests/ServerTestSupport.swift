import DaemonHTTP
import EngineAPI
import Foundation

/// Starts a server with a fresh fake backend on a temporary unix socket.
func withServer(_ body: (String, FakeBackend) async throws -> Void) async throws {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-http-\(UUID().uuidString.prefix(8))")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let path = dir.appendingPathComponent("api.sock").path
  let backend = FakeBackend()
  let server = EngineHTTPServer(
    backends: EngineBackends(
      system: backend, containers: backend, exec: backend, images: backend, distribution: backend, volumes: backend,
      networks: backend, builds: backend))
  try await server.listen(unixSocket: path)
  do {
    try await body(path, backend)
  } catch {
    await server.close()
    throw error
  }
  await server.close()
}

func request(
  _ socket: String, _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []
) async throws -> RawResponse {
  try await offThread {
    let client = try RawHTTPClient(socketPath: socket)
    return try client.request(method, path, headers: headers, body: body)
  }
}

func jsonObject(_ bytes: [UInt8]) throws -> [String: JSONValue] {
  guard case .object(let o) = try EngineJSON.decode(JSONValue.self, from: bytes) else {
    throw TestError("not an object")
  }
  return o
}
