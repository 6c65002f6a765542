/// The container area: the lifecycle of containers, their I/O streams, filesystems and commits.
public protocol ContainerBackend: Sendable {
  func createContainer(name: String?, request: ContainerCreateRequest) async throws -> ContainerCreateResponse
  func listContainers(options: ContainerListOptions) async throws -> [ContainerSummary]
  func inspectContainer(id: String, size: Bool) async throws -> ContainerInspect
  func startContainer(id: String) async throws
  func stopContainer(id: String, options: ContainerStopOptions) async throws
  func restartContainer(id: String, options: ContainerStopOptions) async throws
  func killContainer(id: String, signal: String?) async throws
  /// Registers the waiter (throwing `notFound` etc. right away) and returns a handle that
  /// completes when the condition is met. The HTTP layer sends the 200 headers between the
  /// two steps: `docker run` needs them before it starts the container.
  func waitContainer(id: String, condition: WaitCondition) async throws -> ContainerWaitHandle
  func removeContainer(id: String, options: ContainerRemoveOptions) async throws
  /// Output of the container; `tty` says whether the HTTP layer frames it (no TTY) or not.
  func containerLogs(id: String, options: ContainerLogsOptions) async throws -> ContainerOutput
  /// Hijacked attach. The HTTP layer has already checked the container exists (via
  /// `inspectContainer`) and sent the 101/200 answer. Return when the attach ends
  /// (container exited, or the client went away).
  func attachContainer(id: String, options: ContainerAttachOptions, stream: any HijackedStream) async throws
  func resizeContainer(id: String, height: Int, width: Int) async throws
  func topContainer(id: String, psArgs: String?) async throws -> ContainerTopResponse
  /// One sample when `stream` is false; else one per second until the client leaves.
  func containerStats(id: String, options: ContainerStatsOptions) async throws
    -> AsyncThrowingStream<ContainerStats, any Error>
  func updateContainer(id: String, request: ContainerUpdateRequest) async throws -> ContainerUpdateResponse
  func renameContainer(id: String, newName: String) async throws
  func pauseContainer(id: String) async throws
  func unpauseContainer(id: String) async throws
  func pruneContainers(filters: Filters) async throws -> ContainerPruneResponse
  func containerChanges(id: String) async throws -> [FilesystemChange]
  /// `docker export`: the container's filesystem as a tar stream.
  func exportContainer(id: String) async throws -> ByteStream
  /// HEAD /containers/{id}/archive: the stat of a path in the container (not following a
  /// final symlink).
  func statContainerPath(id: String, path: String) async throws -> ContainerPathStat
  /// GET /containers/{id}/archive: a path in the container as a tar.
  func archiveContainerPath(id: String, path: String) async throws -> ContainerArchive
  /// PUT /containers/{id}/archive: extracts a tar into a directory of the container.
  func extractToContainer(id: String, path: String, options: ContainerExtractOptions, body: ByteStream) async throws
  /// `docker commit` (POST /commit): a new image from the container's writable layer, with
  /// the container's config, then `changes` (Dockerfile instructions), then `config`.
  func commitContainer(
    id: String, repo: String?, tag: String?, comment: String?, author: String?, changes: [String], pause: Bool,
    config: ContainerConfig?
  ) async throws -> IDResponse
}
