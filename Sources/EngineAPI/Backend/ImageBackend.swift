/// The image area: the local images (list, inspect, load, save, import, tag, remove).
public protocol ImageBackend: Sendable {
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
  func tagImage(name: String, repo: String, tag: String?) async throws
  func removeImage(name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem]
  func pruneImages(filters: Filters) async throws -> ImagePruneResponse
}
