// The area methods the HTTP tests do not exercise: 501, as a route without an engine.
import EngineAPI

extension FakeBackend: SystemBackend {
  func systemDataUsage() async throws -> SystemDfResponse {
    throw EngineError.notImplemented("systemDataUsage")
  }

  func events(options: EventsOptions) async throws -> AsyncThrowingStream<EventMessage, any Error> {
    throw EngineError.notImplemented("events")
  }
}

extension FakeBackend: ContainerBackend {
  func containerStats(id: String, options: ContainerStatsOptions) async throws
    -> AsyncThrowingStream<ContainerStats, any Error>
  {
    throw EngineError.notImplemented("containerStats")
  }

  func stopContainer(id: String, options: ContainerStopOptions) async throws {
    throw EngineError.notImplemented("stopContainer")
  }

  func restartContainer(id: String, options: ContainerStopOptions) async throws {
    throw EngineError.notImplemented("restartContainer")
  }

  func killContainer(id: String, signal: String?) async throws {
    throw EngineError.notImplemented("killContainer")
  }

  func removeContainer(id: String, options: ContainerRemoveOptions) async throws {
    throw EngineError.notImplemented("removeContainer")
  }

  func topContainer(id: String, psArgs: String?) async throws -> ContainerTopResponse {
    throw EngineError.notImplemented("topContainer")
  }

  func containerStats(id: String, options: ContainerStatsOptions) async throws {
    throw EngineError.notImplemented("containerStats")
  }

  func updateContainer(id: String, request: ContainerUpdateRequest) async throws -> ContainerUpdateResponse {
    throw EngineError.notImplemented("updateContainer")
  }

  func renameContainer(id: String, newName: String) async throws {
    throw EngineError.notImplemented("renameContainer")
  }

  func pauseContainer(id: String) async throws {
    throw EngineError.notImplemented("pauseContainer")
  }

  func unpauseContainer(id: String) async throws {
    throw EngineError.notImplemented("unpauseContainer")
  }

  func pruneContainers(filters: Filters) async throws -> ContainerPruneResponse {
    throw EngineError.notImplemented("pruneContainers")
  }

  func containerChanges(id: String) async throws -> [FilesystemChange] {
    throw EngineError.notImplemented("containerChanges")
  }

  func exportContainer(id: String) async throws -> ByteStream {
    throw EngineError.notImplemented("exportContainer")
  }

  func statContainerPath(id: String, path: String) async throws -> ContainerPathStat {
    throw EngineError.notImplemented("statContainerPath")
  }

  func archiveContainerPath(id: String, path: String) async throws -> ContainerArchive {
    throw EngineError.notImplemented("archiveContainerPath")
  }

  func extractToContainer(id: String, path: String, options: ContainerExtractOptions, body: ByteStream) async throws {
    throw EngineError.notImplemented("extractToContainer")
  }

  func commitContainer(
    id: String, repo: String?, tag: String?, comment: String?, author: String?, changes: [String], pause: Bool,
    config: ContainerConfig?
  ) async throws -> IDResponse {
    throw EngineError.notImplemented("commitContainer")
  }
}

extension FakeBackend: ExecBackend {
  func resizeExec(id: String, height: Int, width: Int) async throws {
    throw EngineError.notImplemented("resizeExec")
  }
}

extension FakeBackend: ImageBackend {
  func importImage(body: ByteStream, options: ImageImportOptions) async throws
    -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    throw EngineError.notImplemented("importImage")
  }

  func listImages(options: ImageListOptions) async throws -> [ImageSummary] {
    throw EngineError.notImplemented("listImages")
  }

  func imageHistory(name: String) async throws -> [ImageHistoryItem] {
    throw EngineError.notImplemented("imageHistory")
  }

  func exportImages(names: [String]) async throws -> ByteStream {
    throw EngineError.notImplemented("exportImages")
  }

  func importImage(body: ByteStream, options: ImageImportOptions) async throws {
    throw EngineError.notImplemented("importImage")
  }

  func tagImage(name: String, repo: String, tag: String?) async throws {
    throw EngineError.notImplemented("tagImage")
  }

  func pruneImages(filters: Filters) async throws -> ImagePruneResponse {
    throw EngineError.notImplemented("pruneImages")
  }
}

extension FakeBackend: DistributionBackend {
  func pullImage(options: ImagePullOptions) async throws -> AsyncThrowingStream<ProgressMessage, any Error> {
    throw EngineError.notImplemented("pullImage")
  }

  func pushImage(name: String, tag: String?, registryAuth: String?) async throws
    -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    throw EngineError.notImplemented("pushImage")
  }

  func authenticate(_ request: AuthConfigRequest) async throws -> AuthResponse {
    throw EngineError.notImplemented("authenticate")
  }

  func distributionInspect(name: String, registryAuth: String?) async throws -> DistributionInspect {
    throw EngineError.notImplemented("distributionInspect")
  }
}

extension FakeBackend: VolumeBackend {
  func listVolumes(filters: Filters) async throws -> VolumeListResponse {
    throw EngineError.notImplemented("listVolumes")
  }

  func createVolume(request: VolumeCreateRequest) async throws -> Volume {
    throw EngineError.notImplemented("createVolume")
  }

  func inspectVolume(name: String) async throws -> Volume {
    throw EngineError.notImplemented("inspectVolume")
  }

  func removeVolume(name: String, force: Bool) async throws {
    throw EngineError.notImplemented("removeVolume")
  }

  func pruneVolumes(filters: Filters) async throws -> VolumePruneResponse {
    throw EngineError.notImplemented("pruneVolumes")
  }
}

extension FakeBackend: NetworkBackend {
  func listNetworks(filters: Filters) async throws -> [NetworkResource] {
    throw EngineError.notImplemented("listNetworks")
  }

  func inspectNetwork(id: String) async throws -> NetworkResource {
    throw EngineError.notImplemented("inspectNetwork")
  }

  func createNetwork(request: NetworkCreateRequest) async throws -> NetworkCreateResponse {
    throw EngineError.notImplemented("createNetwork")
  }

  func removeNetwork(id: String) async throws { throw EngineError.notImplemented("removeNetwork") }

  func connectNetwork(id: String, request: NetworkConnectRequest) async throws {
    throw EngineError.notImplemented("connectNetwork")
  }

  func disconnectNetwork(id: String, request: NetworkDisconnectRequest) async throws {
    throw EngineError.notImplemented("disconnectNetwork")
  }

  func pruneNetworks(filters: Filters) async throws -> NetworkPruneResponse {
    throw EngineError.notImplemented("pruneNetworks")
  }
}

extension FakeBackend: BuildBackend {
  /// Answers with the options it was given, so a test sees how the query was read.
  func build(options: BuildOptions, context: ByteStream) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    var bytes = 0
    for try await chunk in context { bytes += chunk.count }
    let summary =
      "tags=\(options.tags) dockerfile=\(options.dockerfile) target=\(options.target ?? "-") nocache=\(options.noCache) "
      + "q=\(options.quiet) args=\(options.buildArgs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "nil")" }) "
      + "labels=\(options.labels) bytes=\(bytes)"
    return AsyncThrowingStream { c in
      c.yield(ProgressMessage(stream: summary))
      c.finish()
    }
  }

  func pruneBuildCache(all: Bool) async throws -> BuildCachePruneResponse {
    BuildCachePruneResponse(cachesDeleted: [], spaceReclaimed: 0)
  }
}
