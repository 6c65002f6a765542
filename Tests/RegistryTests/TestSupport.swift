// Helpers for the registry tests: temp dirs, free ports, child processes that are always
// stopped, and Debian's docker-registry (distribution 2.8) on 127.0.0.1.
import ContentStore
import Foundation
import Images
import OCI
import Registry
import Testing

#if canImport(Glibc)
  import Glibc
#endif

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

let tools = ["/usr/bin/docker-registry", "/usr/bin/skopeo", "/usr/bin/htpasswd", "/usr/bin/openssl"]
let haveTools = tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
let isRoot = getuid() == 0

func makeTempDir() throws -> String {
  var template = Array("/tmp/berth-registry-test-XXXXXX".utf8CString)
  guard let p = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
  return String(cString: p)
}

/// Removes a tree, first lifting any mounts below it (unpacked snapshots).
func removeTree(_ dir: String) {
  if let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) {
    let targets = mounts.split(separator: "\n").compactMap { line -> String? in
      let f = line.split(separator: " ")
      return f.count > 1 && f[1].hasPrefix(dir) ? String(f[1]) : nil
    }
    for t in targets.reversed() { umount2(t, Int32(MNT_DETACH)) }
  }
  for _ in 0..<100 where FileManager.default.fileExists(atPath: dir) {
    try? FileManager.default.removeItem(atPath: dir)  // retried: background threads may still add entries
    if FileManager.default.fileExists(atPath: dir) { usleep(10_000) }
  }
}

func withTempDir<R>(_ body: (String) async throws -> R) async throws -> R {
  let dir = try makeTempDir()
  defer { removeTree(dir) }
  return try await body(dir)
}

/// A client that is shut down after `body`, pass or fail.
func withClient<R>(
  _ configuration: RegistryClientConfiguration = RegistryClientConfiguration(),
  _ body: (RegistryClient) async throws -> R
) async throws -> R {
  let client = RegistryClient(configuration: configuration)
  do {
    let r = try await body(client)
    try await client.shutdown()
    return r
  } catch {
    try? await client.shutdown()  // the test's own error is the one to report
    throw error
  }
}

/// A port on 127.0.0.1 that was free a moment ago.
func freePort() throws -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { throw TestFailure("socket failed") }
  defer { close(fd) }
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_addr.s_addr = inet_addr("127.0.0.1")
  addr.sin_port = 0
  var len = socklen_t(MemoryLayout<sockaddr_in>.size)
  let ok = withUnsafeMutablePointer(to: &addr) { p in
    p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
      bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
    }
  }
  guard ok else { throw TestFailure("bind failed") }
  return Int(UInt16(bigEndian: addr.sin_port))
}

/// Waits until something accepts connections on 127.0.0.1:port.
func waitForPort(_ port: Int, timeout: Double = 15) throws {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    let r = withUnsafePointer(to: &addr) { p in
      p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    close(fd)
    if r == 0 { return }
    usleep(50_000)
  }
  throw TestFailure("nothing listens on 127.0.0.1:\(port) after \(timeout)s")
}

/// A child process, stopped (by its pid) when the test ends.
final class Child: @unchecked Sendable {
  let process = Process()
  let logPath: String

  init(_ args: [String], log: String) throws {
    logPath = log
    process.executableURL = URL(fileURLWithPath: args[0])
    process.arguments = Array(args.dropFirst())
    FileManager.default.createFile(atPath: log, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
  }

  func stop() {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

@discardableResult
func run(_ args: [String], input: Data? = nil) throws -> Data {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = args
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  let inp = Pipe()
  p.standardInput = inp
  try p.run()
  if let input { inp.fileHandleForWriting.write(input) }
  try inp.fileHandleForWriting.close()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else {
    throw TestFailure("\(args.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
  }
  return data
}

/// Debian's docker-registry serving `dir`/data on 127.0.0.1, optionally behind htpasswd
/// or token auth.
final class TestRegistry: @unchecked Sendable {
  enum Auth {
    case none
    case htpasswd(user: String, password: String)
    case token(realm: String, certPath: String)
  }
  let dir: String
  let port: Int
  let child: Child
  var host: String { "127.0.0.1:\(port)" }
  var dataDir: String { dir + "/data" }

  /// `tls`: serve HTTPS with this certificate and key, requiring client certificates signed
  /// by `clientCA` when given.
  init(dir: String, auth: Auth = .none, tls: (cert: String, key: String, clientCA: String?)? = nil) throws {
    self.dir = dir
    try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
    port = try freePort()
    var authYAML = ""
    switch auth {
    case .none: break
    case .htpasswd(let user, let password):
      let line = try run(["htpasswd", "-Bbn", user, password])
      try line.write(to: URL(fileURLWithPath: dir + "/htpasswd"))
      authYAML = """
        auth:
          htpasswd:
            realm: berth-test
            path: \(dir)/htpasswd
        """
    case .token(let realm, let cert):
      authYAML = """
        auth:
          token:
            realm: \(realm)
            service: berth-test-registry
            issuer: berth-test-issuer
            rootcertbundle: \(cert)
        """
    }
    var tlsYAML = ""
    if let tls {
      tlsYAML = "\n  tls:\n    certificate: \(tls.cert)\n    key: \(tls.key)"
      if let ca = tls.clientCA { tlsYAML += "\n    clientcas:\n      - \(ca)" }
    }
    let config = """
      version: 0.1
      log:
        level: warn
      storage:
        filesystem:
          rootdirectory: \(dir)/data
        delete:
          enabled: true
      http:
        addr: 127.0.0.1:\(port)\(tlsYAML)
      \(authYAML)
      """
    try config.write(toFile: dir + "/config.yml", atomically: true, encoding: .utf8)
    child = try Child(["/usr/bin/docker-registry", "serve", dir + "/config.yml"], log: dir + "/registry.log")
    do {
      try waitForPort(port)
    } catch {
      child.stop()
      throw TestFailure("docker-registry did not start: \(child.log)")
    }
  }

  func stop() { child.stop() }

  /// The blob file the registry serves for `digest`.
  func blobPath(_ digest: Digest) -> String {
    "\(dataDir)/docker/registry/v2/blobs/sha256/\(digest.encoded.prefix(2))/\(digest.encoded)/data"
  }
}

/// Runs `body` with a registry that is stopped afterwards.
func withRegistry<R>(
  _ dir: String, auth: TestRegistry.Auth = .none, _ body: (TestRegistry) async throws -> R
) async throws -> R {
  let r = try TestRegistry(dir: dir, auth: auth)
  defer { r.stop() }
  return try await body(r)
}

/// Collects progress events (thread-safe).
final class ProgressLog: @unchecked Sendable {
  private let lock = NSLock()
  private var events: [ProgressEvent] = []

  var handler: ProgressHandler { { e in self.lock.withLock { self.events.append(e) } } }
  var all: [ProgressEvent] { lock.withLock { events } }
  func statuses(_ id: String? = nil) -> [String] { all.filter { id == nil || $0.id == id }.map(\.status) }
  func contains(_ status: String) -> Bool { all.contains { $0.status == status } }
}
