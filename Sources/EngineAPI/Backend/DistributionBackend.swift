/// The distribution area: images to and from registries.
public protocol DistributionBackend: Sendable {
  func pullImage(options: ImagePullOptions) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
}
