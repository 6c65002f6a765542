// The engine: the areas of the daemon (containers, exec, images, distribution, volumes,
// system), each behind its own EngineAPI backend protocol, and what they share.
import EngineAPI
import Images
import LinuxOS
import Registry
import Shim

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public struct EngineConfig: Sendable {
  /// /var/lib/berth
  public var dataRoot: String
  /// /run/berth
  public var execRoot: String
  /// berth-runtime.
  public var runtimeBinary: String
  /// Every runtime a container may name (berth-runtime's alone unless berthd sets more).
  public var runtimes: RuntimeRegistry
  public var shimBinary: String
  public var cgroupParent = "/berth"
  /// berth-init, the PID 1 of `--init` containers; nil when it is not installed.
  public var initBinary: String?
  /// dockerd's `--init`: containers that do not choose get the init.
  public var defaultInit = false
  /// How registries are reached (insecure registries, Docker Hub mirrors, certs.d).
  public var registryTransport = TransportPolicy()
  /// The default bridge network; nil (dockerd's `--bridge none`): containers that name no
  /// network get loopback only. berthd sets it unless told not to.
  public var defaultBridge: DefaultBridgeSettings?
  /// dockerd's --dns: the upstreams of user networks' resolvers and the nameservers of
  /// other containers; empty: the host's resolv.conf.
  public var dnsServers: [String] = []
  /// dockerd's default-address-pools: where bridge networks without a --subnet get theirs
  /// ("base/prefix" and the size of each network); empty: Docker's defaults.
  public var addressPools: [(base: String, size: Int)] = []

  public init(dataRoot: String, execRoot: String, runtimeBinary: String, shimBinary: String) {
    self.dataRoot = dataRoot
    self.execRoot = execRoot
    self.runtimeBinary = runtimeBinary
    runtimes = RuntimeRegistry(berthRuntime: runtimeBinary, execRoot: execRoot)
    self.shimBinary = shimBinary
  }

  var containersRoot: String { dataRoot + "/containers" }
  var imageRoot: String { dataRoot + "/image" }
  /// berth-runtime's state root.
  var runtimeRoot: String { runtimes.root(RuntimeRegistry.berth) }
  /// The shim's state directory. Short (16 hex digits of the id): the shim's sockets live
  /// in it, and a unix socket path must fit in 107 bytes.
  func shimState(_ id: String) -> String { execRoot + "/shims/" + id.prefix(16) }
  var bundlesRoot: String { execRoot + "/bundles" }
  /// What a container's start needs and nothing keeps: config.json, the rootfs mount
  /// point, hostname, hosts and resolv.conf. In the exec root (a tmpfs as a rule, as
  /// containerd keeps its bundles): it outlives berthd, as a running container does, and
  /// a container's start writes what a reboot took. No disk inode is made per start.
  func bundle(_ id: String) -> String { bundlesRoot + "/" + id }
}

/// berthd's engine: it makes the shared context and the areas, and hands the HTTP layer
/// their backends. Each area owns its state:
/// - `ContainerArea` (an actor): the container state machine, ordered per container; the
///   shims, waits, attach gates, restarts, health checks; writes the `ContainerStore`.
/// - `ExecArea` (an actor): exec instances.
/// - `ImageArea`: images, tags, load/save/import; writes the `ImageStore` (except container
///   snapshots, which the container area makes and removes).
/// - `VolumeArea`: volumes; writes the `VolumeStore`.
/// - `SystemArea`: version, info, disk usage, events.
/// - `DistributionArea`: pulls, pushes and logins (the registry client, its tokens and
///   in-flight downloads); what it pulls goes into the image area's store.
/// - `NetworkArea`: networks and the kernel side of containers' endpoints (the container
///   area asks it at start and exit, and serves connect/disconnect).
/// - `BuildArea`: Dockerfile builds; their steps are the container area's containers and
///   the image store's intermediate images, and it keeps the build cache's index.
public final class Engine: Sendable {
  public let context: EngineContext
  public let containers: ContainerArea
  public let exec: ExecArea
  public let images: ImageArea
  public let volumes: VolumeArea
  public let system: SystemArea
  public let distribution: DistributionArea
  public let network: NetworkArea
  public let builds: BuildArea

  public init(config: EngineConfig) throws {
    context = try EngineContext(config: config)
    volumes = VolumeArea(context: context)
    exec = ExecArea(context: context)
    images = ImageArea(context: context)
    distribution = DistributionArea(context: context)
    network = try NetworkArea(context: context)
    containers = ContainerArea(context: context, volumes: volumes, exec: exec, network: network)
    builds = try BuildArea(context: context, containers: containers)
    system = SystemArea(context: context, containerArea: containers, imageArea: images, volumeArea: volumes)
  }

  public var backends: EngineBackends {
    EngineBackends(
      system: system, containers: containers, exec: exec, images: images, distribution: distribution, volumes: volumes,
      networks: NetworkAPI(networks: network, containers: containers), builds: builds)
  }

  /// Live restore: reconciles the records with the shims and the runtime, then restarts
  /// what the restart policies say.
  public func restore() async {
    await containers.restore()
    let live = Set(containers.context.containers.all().filter { $0.state.isRunning }.map(\.id))
    await network.restore(liveContainers: live)
  }
}

extension DaemonError {
  var engineError: EngineError {
    switch kind {
    case .notFound: .notFound(message)
    case .conflict: .conflict(message)
    case .invalidParameter: .badParameter(message)
    case .notImplemented: .notImplemented(message)
    case .system: .internal(message)
    }
  }
}

/// Maps library errors onto the API's.
func engineError(_ error: any Error) -> any Error {
  switch error {
  case let e as DaemonError: return e.engineError
  case let e as ImageError:
    switch e {
    case .notFound: return EngineError.notFound(e.description)
    case .inUse: return EngineError.conflict(e.description)
    case .ambiguous: return EngineError.badParameter(e.description)
    default: return EngineError.internal(e.description)
    }
  default: return error
  }
}

/// Runs `body`, translating errors for the API.
func mapErrors<T>(
  isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
) async throws -> T {
  do { return try await body() } catch { throw engineError(error) }
}
