// Default answers for every EngineBackend method: 501 "not implemented", so a backend can
// implement routes one at a time.

extension EngineBackend {
  public func version() async throws -> VersionResponse {
    throw EngineError.notImplemented("version is not implemented by this engine")
  }

  public func info() async throws -> SystemInfo {
    throw EngineError.notImplemented("info is not implemented by this engine")
  }

  public func systemDataUsage() async throws -> SystemDfResponse {
    throw EngineError.notImplemented("systemDataUsage is not implemented by this engine")
  }

  public func events(options: EventsOptions) async throws -> AsyncThrowingStream<EventMessage, any Error> {
    throw EngineError.notImplemented("events is not implemented by this engine")
  }

  public func createContainer(name: String?, request: ContainerCreateRequest) async throws -> ContainerCreateResponse {
    throw EngineError.notImplemented("createContainer is not implemented by this engine")
  }

  public func listContainers(options: ContainerListOptions) async throws -> [ContainerSummary] {
    throw EngineError.notImplemented("listContainers is not implemented by this engine")
  }

  public func inspectContainer(id: String, size: Bool) async throws -> ContainerInspect {
    throw EngineError.notImplemented("inspectContainer is not implemented by this engine")
  }

  public func startContainer(id: String) async throws {
    throw EngineError.notImplemented("startContainer is not implemented by this engine")
  }

  public func stopContainer(id: String, options: ContainerStopOptions) async throws {
    throw EngineError.notImplemented("stopContainer is not implemented by this engine")
  }

  public func restartContainer(id: String, options: ContainerStopOptions) async throws {
    throw EngineError.notImplemented("restartContainer is not implemented by this engine")
  }

  public func killContainer(id: String, signal: String?) async throws {
    throw EngineError.notImplemented("killContainer is not implemented by this engine")
  }

  public func waitContainer(id: String, condition: WaitCondition) async throws -> ContainerWaitHandle {
    throw EngineError.notImplemented("waitContainer is not implemented by this engine")
  }

  public func removeContainer(id: String, options: ContainerRemoveOptions) async throws {
    throw EngineError.notImplemented("removeContainer is not implemented by this engine")
  }

  public func containerLogs(id: String, options: ContainerLogsOptions) async throws -> ContainerOutput {
    throw EngineError.notImplemented("containerLogs is not implemented by this engine")
  }

  public func attachContainer(id: String, options: ContainerAttachOptions, stream: any HijackedStream) async throws {
    throw EngineError.notImplemented("attachContainer is not implemented by this engine")
  }

  public func resizeContainer(id: String, height: Int, width: Int) async throws {
    throw EngineError.notImplemented("resizeContainer is not implemented by this engine")
  }

  public func topContainer(id: String, psArgs: String?) async throws -> ContainerTopResponse {
    throw EngineError.notImplemented("topContainer is not implemented by this engine")
  }

  public func containerStats(id: String, options: ContainerStatsOptions) async throws -> AsyncThrowingStream<
    ContainerStats, any Error
  > {
    throw EngineError.notImplemented("containerStats is not implemented by this engine")
  }

  public func updateContainer(id: String, request: ContainerUpdateRequest) async throws -> ContainerUpdateResponse {
    throw EngineError.notImplemented("updateContainer is not implemented by this engine")
  }

  public func renameContainer(id: String, newName: String) async throws {
    throw EngineError.notImplemented("renameContainer is not implemented by this engine")
  }

  public func pauseContainer(id: String) async throws {
    throw EngineError.notImplemented("pauseContainer is not implemented by this engine")
  }

  public func unpauseContainer(id: String) async throws {
    throw EngineError.notImplemented("unpauseContainer is not implemented by this engine")
  }

  public func pruneContainers(filters: Filters) async throws -> ContainerPruneResponse {
    throw EngineError.notImplemented("pruneContainers is not implemented by this engine")
  }

  public func containerChanges(id: String) async throws -> [FilesystemChange] {
    throw EngineError.notImplemented("containerChanges is not implemented by this engine")
  }

  public func exportContainer(id: String) async throws -> ByteStream {
    throw EngineError.notImplemented("exportContainer is not implemented by this engine")
  }

  public func statContainerPath(id: String, path: String) async throws -> ContainerPathStat {
    throw EngineError.notImplemented("statContainerPath is not implemented by this engine")
  }

  public func archiveContainerPath(id: String, path: String) async throws -> ContainerArchive {
    throw EngineError.notImplemented("archiveContainerPath is not implemented by this engine")
  }

  public func extractToContainer(
    id: String, path: String, options: ContainerExtractOptions, body: ByteStream
  ) async throws {
    throw EngineError.notImplemented("extractToContainer is not implemented by this engine")
  }

  public func commitContainer(
    id: String, repo: String?, tag: String?, comment: String?, author: String?, changes: [String], pause: Bool,
    config: ContainerConfig?
  ) async throws -> IDResponse {
    throw EngineError.notImplemented("commitContainer is not implemented by this engine")
  }

  public func createExec(containerID: String, request: ExecCreateRequest) async throws -> IDResponse {
    throw EngineError.notImplemented("createExec is not implemented by this engine")
  }

  public func startExec(id: String, options: ExecStartRequest, stream: (any HijackedStream)?) async throws {
    throw EngineError.notImplemented("startExec is not implemented by this engine")
  }

  public func resizeExec(id: String, height: Int, width: Int) async throws {
    throw EngineError.notImplemented("resizeExec is not implemented by this engine")
  }

  public func inspectExec(id: String) async throws -> ExecInspect {
    throw EngineError.notImplemented("inspectExec is not implemented by this engine")
  }

  public func listImages(options: ImageListOptions) async throws -> [ImageSummary] {
    throw EngineError.notImplemented("listImages is not implemented by this engine")
  }

  public func inspectImage(name: String) async throws -> ImageInspect {
    throw EngineError.notImplemented("inspectImage is not implemented by this engine")
  }

  public func imageHistory(name: String) async throws -> [ImageHistoryItem] {
    throw EngineError.notImplemented("imageHistory is not implemented by this engine")
  }

  public func loadImages(body: ByteStream, quiet: Bool) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    throw EngineError.notImplemented("loadImages is not implemented by this engine")
  }

  public func exportImages(names: [String]) async throws -> ByteStream {
    throw EngineError.notImplemented("exportImages is not implemented by this engine")
  }

  public func importImage(body: ByteStream, options: ImageImportOptions) async throws -> AsyncThrowingStream<
    ProgressMessage, any Error
  > {
    throw EngineError.notImplemented("importImage is not implemented by this engine")
  }

  public func pullImage(options: ImagePullOptions) async throws -> AsyncThrowingStream<ProgressMessage, any Error> {
    throw EngineError.notImplemented("pullImage is not implemented by this engine")
  }

  public func tagImage(name: String, repo: String, tag: String?) async throws {
    throw EngineError.notImplemented("tagImage is not implemented by this engine")
  }

  public func removeImage(name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem] {
    throw EngineError.notImplemented("removeImage is not implemented by this engine")
  }

  public func pruneImages(filters: Filters) async throws -> ImagePruneResponse {
    throw EngineError.notImplemented("pruneImages is not implemented by this engine")
  }

  public func listVolumes(filters: Filters) async throws -> VolumeListResponse {
    throw EngineError.notImplemented("listVolumes is not implemented by this engine")
  }

  public func createVolume(request: VolumeCreateRequest) async throws -> Volume {
    throw EngineError.notImplemented("createVolume is not implemented by this engine")
  }

  public func inspectVolume(name: String) async throws -> Volume {
    throw EngineError.notImplemented("inspectVolume is not implemented by this engine")
  }

  public func removeVolume(name: String, force: Bool) async throws {
    throw EngineError.notImplemented("removeVolume is not implemented by this engine")
  }

  public func pruneVolumes(filters: Filters) async throws -> VolumePruneResponse {
    throw EngineError.notImplemented("pruneVolumes is not implemented by this engine")
  }
}
