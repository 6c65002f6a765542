// The engine: container records, images, and the per-container shims, behind EngineAPI's
// `EngineBackend`. One actor owns the container state machine; blocking work (shim
// sockets, the runtime, image I/O) runs on its own threads (`BlockingThread`).
import EngineAPI
import Images
import LinuxOS
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
  public var runtimeBinary: String
  public var shimBinary: String
  public var cgroupParent = "/berth"
  /// berth-init, the PID 1 of `--init` containers; nil when it is not installed.
  public var initBinary: String?
  /// dockerd's `--init`: containers that do not choose get the init.
  public var defaultInit = false

  public init(dataRoot: String, execRoot: String, runtimeBinary: String, shimBinary: String) {
    self.dataRoot = dataRoot
    self.execRoot = execRoot
    self.runtimeBinary = runtimeBinary
    self.shimBinary = shimBinary
  }

  var containersRoot: String { dataRoot + "/containers" }
  var imageRoot: String { dataRoot + "/image" }
  var runtimeRoot: String { execRoot + "/runtime" }
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

public actor Engine: EngineBackend {
  public nonisolated let config: EngineConfig
  public nonisolated let images: ImageStore
  public nonisolated let containers: ContainerStore
  public nonisolated let volumes: VolumeStore
  public nonisolated let eventBus = EventBus()
  let runtime: RuntimeCommand
  /// Waiters for a container's next exit / removal.
  /// Called (once, then dropped) with the record at the container's next exit or removal.
  var exitWaiters: [String: [@Sendable (ContainerRecord) -> Void]] = [:]
  var removalWaiters: [String: [@Sendable () -> Void]] = [:]
  /// Attachers of a created container, resumed once its shim exists (before start).
  var launchWaiters: [String: [CheckedContinuation<Bool, Never>]] = [:]
  /// Starts waiting for those attachers to connect to the shim.
  var attachGates: [String: AttachGate] = [:]
  var monitored: Set<String> = []
  /// The runtime's deletes of exited containers, under way (see Engine+RuntimeDeletion).
  var runtimeDeletions: [String: Task<Void, Never>] = [:]
  /// Exec instances by id.
  var execs: [String: ExecRecord] = [:]

  public init(config: EngineConfig) throws {
    self.config = config
    for dir in [config.dataRoot, config.execRoot, config.execRoot + "/shims", config.runtimeRoot, config.bundlesRoot] {
      try Files.makeDirectories(dir, mode: 0o711)
    }
    images = try ImageStore(root: config.imageRoot)
    containers = try ContainerStore(root: config.containersRoot)
    volumes = try VolumeStore(root: config.dataRoot + "/volumes")
    runtime = RuntimeCommand(binary: config.runtimeBinary, root: config.runtimeRoot)
  }

  func shimClient(_ id: String) -> ShimClient { ShimClient(stateDir: config.shimState(id)) }

  func record(_ ref: String) throws -> ContainerRecord {
    do { return try containers.get(ref) } catch let e as DaemonError { throw e.engineError }
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
