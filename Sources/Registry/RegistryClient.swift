// The distribution API client: one per daemon, shared by every pull and push (it caches
// endpoints, auth challenges and tokens, and shares in-flight blob downloads).
import AsyncHTTPClient
import ContentStore
import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOSSL
import OCI
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

enum System {
  static var coreCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

public struct RegistryClientConfiguration: Sendable {
  public var transport: TransportPolicy
  /// Layers downloaded at once (dockerd: 3).
  public var maxConcurrentDownloads: Int
  /// Blobs uploaded at once (dockerd: 5).
  public var maxConcurrentUploads: Int
  /// Layers applied (decompressed and written) at once, each into its own snapshot.
  public var maxConcurrentUnpacks: Int = max(2, System.coreCount)
  /// Blobs at least this large are fetched as several concurrent Range requests.
  public var rangedFetchThreshold: Int64
  /// Concurrent ranges per large blob.
  public var rangeParts: Int
  /// Blobs at least this large are pushed with chunked PATCH uploads.
  public var chunkedUploadThreshold: Int64
  public var uploadChunkSize: Int64
  /// Attempts per blob (or per range) before a dropped connection fails the pull.
  public var maxAttempts: Int
  public var userAgent: String
  /// Where credentials come from when a call passes none (config.json, helpers).
  public var credentialStore: DockerConfigFile?
  /// How long a connection (TCP and TLS) may take to establish, failed attempts retried
  /// with backoff meanwhile: an unreachable endpoint fails after this long.
  public var connectTimeout: Duration = .seconds(10)
  /// Where the client reports what it recovered from (retries, dropped connections).
  public var log: (@Sendable (String) -> Void)?

  public init(
    transport: TransportPolicy = TransportPolicy(), maxConcurrentDownloads: Int = 8,
    maxConcurrentUploads: Int = 5, rangedFetchThreshold: Int64 = 32 << 20, rangeParts: Int = 4,
    chunkedUploadThreshold: Int64 = 32 << 20, uploadChunkSize: Int64 = 16 << 20,
    maxAttempts: Int = 5, userAgent: String = "berth/0.1", credentialStore: DockerConfigFile? = nil,
    log: (@Sendable (String) -> Void)? = nil
  ) {
    self.transport = transport
    self.maxConcurrentDownloads = max(1, maxConcurrentDownloads)
    self.maxConcurrentUploads = max(1, maxConcurrentUploads)
    self.rangedFetchThreshold = rangedFetchThreshold
    self.rangeParts = max(1, rangeParts)
    self.chunkedUploadThreshold = chunkedUploadThreshold
    self.uploadChunkSize = max(1 << 16, uploadChunkSize)
    self.maxAttempts = max(1, maxAttempts)
    self.userAgent = userAgent
    self.credentialStore = credentialStore
    self.log = log
  }
}

public final class RegistryClient: Sendable {
  public let configuration: RegistryClientConfiguration
  let http: HTTPClient
  let authCache = AuthCache()
  let inFlight = InFlightBlobs()
  /// registry → blob digest → a repository known to hold it (for cross-repository mounts).
  let knownBlobs = Mutex<[String: [Digest: String]]>([:])
  /// registry → the endpoint that answered its ping.
  let endpointCache = Mutex<[String: RegistryEndpoint]>([:])
  /// host[:port] → its TLS configuration (system CAs + certs.d).
  let tlsCache = Mutex<[String: TLSConfiguration]>([:])

  public init(configuration: RegistryClientConfiguration = RegistryClientConfiguration()) {
    self.configuration = configuration
    var c = HTTPClient.Configuration()
    c.redirectConfiguration = .disallow  // followed by hand: no credentials to other hosts
    c.decompression = .disabled
    let connect = configuration.connectTimeout.components
    c.timeout = HTTPClient.Configuration.Timeout(
      connect: .nanoseconds(connect.seconds * 1_000_000_000 + connect.attoseconds / 1_000_000_000),
      read: .seconds(120))
    c.connectionPool = HTTPClient.Configuration.ConnectionPool(
      idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
    http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: c)
  }

  /// Closes the connections; call once when done with the client.
  public func shutdown() async throws {
    try await http.shutdown()
  }

  func log(_ message: @autoclosure () -> String) {
    configuration.log?(message())
  }

  func rememberBlob(_ digest: Digest, registry: String, repository: String) {
    knownBlobs.withLock { $0[registry, default: [:]][digest] = repository }
  }

  func knownRepository(of digest: Digest, registry: String) -> String? {
    knownBlobs.withLock { $0[registry]?[digest] }
  }
}

/// One repository on one endpoint, with the credentials and actions its token must cover.
struct RegistrySession: Sendable {
  let client: RegistryClient
  let endpoint: RegistryEndpoint
  let repository: String
  let credentials: RegistryCredentials?
  var actions: [String]
  /// Further scopes (a mount's source repository).
  var extraScopes: [String] = []

  var scopes: [String] {
    guard !repository.isEmpty, !actions.isEmpty else { return extraScopes }  // a login: no scope
    return ["repository:\(repository):\(actions.joined(separator: ","))"] + extraScopes
  }

  func url(_ path: String) -> String { endpoint.baseURL + "/v2/" + repository + path }
}
