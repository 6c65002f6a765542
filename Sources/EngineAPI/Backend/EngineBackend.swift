// The contract between the HTTP layer (DaemonHTTP) and the daemon (Daemon).
//
// DaemonHTTP decodes a request, calls one of these methods, and encodes the answer the way
// dockerd does. Every method has a default implementation (EngineBackend+Defaults.swift)
// that throws `EngineError.notImplemented`, so an implementation can grow route by route.
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

public protocol EngineBackend: Sendable {
  // MARK: System
  func version() async throws -> VersionResponse
  func info() async throws -> SystemInfo
  func systemDataUsage() async throws -> SystemDfResponse
  /// Past events (since/until) then, unless `until` is set, live events until the client leaves.
  func events(options: EventsOptions) async throws -> AsyncThrowingStream<EventMessage, any Error>

  // MARK: Containers
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

  // MARK: Exec
  func createExec(containerID: String, request: ExecCreateRequest) async throws -> IDResponse
  /// `stream` is nil when `options.detach` is true. Otherwise the HTTP layer has hijacked
  /// the connection (output framed unless `options.tty`); return when the process exits.
  func startExec(id: String, options: ExecStartRequest, stream: (any HijackedStream)?) async throws
  func resizeExec(id: String, height: Int, width: Int) async throws
  func inspectExec(id: String) async throws -> ExecInspect

  // MARK: Images
  func listImages(options: ImageListOptions) async throws -> [ImageSummary]
  func inspectImage(name: String) async throws -> ImageInspect
  func imageHistory(name: String) async throws -> [ImageHistoryItem]
  /// `docker load`: body is a tar stream (docker save / OCI layout), never buffered whole.
  func loadImages(body: ByteStream, quiet: Bool) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
  /// `docker save`: a tar stream of the named images.
  func exportImages(names: [String]) async throws -> ByteStream
  /// `docker import`: body is a rootfs tar stream (possibly compressed).
  func importImage(body: ByteStream, options: ImageImportOptions) async throws
    -> AsyncThrowingStream<ProgressMessage, any Error>
  func pullImage(options: ImagePullOptions) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
  func tagImage(name: String, repo: String, tag: String?) async throws
  func removeImage(name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem]
  func pruneImages(filters: Filters) async throws -> ImagePruneResponse

  // MARK: Volumes
  func listVolumes(filters: Filters) async throws -> VolumeListResponse
  func createVolume(request: VolumeCreateRequest) async throws -> Volume
  func inspectVolume(name: String) async throws -> Volume
  func removeVolume(name: String, force: Bool) async throws
  func pruneVolumes(filters: Filters) async throws -> VolumePruneResponse
}
