// The contract between the HTTP layer (DaemonHTTP) and the daemon (Daemon): one backend
// protocol per area of the API (SystemBackend, ContainerBackend, …), gathered in
// `EngineBackends`. DaemonHTTP decodes a request, calls the area's method, and encodes the
// answer the way dockerd does. There are no default implementations: a route whose
// method an area lacks does not compile.
//
// Errors: throw `EngineError` (404/409/400/501/500 with a message); any other error
// becomes a 500 carrying its description.

/// A request body or a binary response body (tar streams), chunk by chunk.
public typealias ByteStream = AsyncThrowingStream<[UInt8], any Error>

/// A hijacked connection (attach, exec start).
///
/// Reads return what the client sends (stdin); `nil` means the client half-closed its write
/// side (stdin ended) — the connection stays open for output. Writes go to the client
/// verbatim: without a TTY, output must be framed (`StdStreamFrame`, or the
/// `writeOutput(_:stream:tty:)` helper). The HTTP layer closes the connection once the backend
/// method returns.
public protocol HijackedStream: Sendable {
  func read() async throws -> [UInt8]?
  func write(_ bytes: [UInt8]) async throws
  func closeWrite() async
}

/// Every area of the engine, as the HTTP layer reaches them.
public struct EngineBackends: Sendable {
  public var system: any SystemBackend
  public var containers: any ContainerBackend
  public var exec: any ExecBackend
  public var images: any ImageBackend
  public var distribution: any DistributionBackend
  public var volumes: any VolumeBackend
  public var networks: any NetworkBackend
  public var builds: any BuildBackend

  public init(
    system: any SystemBackend, containers: any ContainerBackend, exec: any ExecBackend, images: any ImageBackend,
    distribution: any DistributionBackend, volumes: any VolumeBackend, networks: any NetworkBackend,
    builds: any BuildBackend
  ) {
    self.system = system
    self.containers = containers
    self.exec = exec
    self.images = images
    self.distribution = distribution
    self.volumes = volumes
    self.networks = networks
    self.builds = builds
  }
}
