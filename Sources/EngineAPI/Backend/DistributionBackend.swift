/// The distribution area: images to and from registries.
public protocol DistributionBackend: Sendable {
  func pullImage(options: ImagePullOptions) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
  /// POST /images/{name}/push: `registryAuth` is the raw X-Registry-Auth header.
  func pushImage(name: String, tag: String?, registryAuth: String?) async throws
    -> AsyncThrowingStream<ProgressMessage, any Error>
  /// POST /auth: checks the credentials against the registry; stores nothing.
  func authenticate(_ request: AuthConfigRequest) async throws -> AuthResponse
  /// GET /distribution/{name}/json.
  func distributionInspect(name: String, registryAuth: String?) async throws -> DistributionInspect
}
