/// The build area: Dockerfile builds (POST /build) and their cache.
public protocol BuildBackend: Sendable {
  /// POST /build: `context` is the build context as a tar stream (possibly compressed);
  /// the answer is dockerd's classic builder stream (`stream` lines, `aux` with the ID,
  /// `Successfully built <id>`).
  func build(options: BuildOptions, context: ByteStream) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
  /// POST /build/prune.
  func pruneBuildCache(all: Bool) async throws -> BuildCachePruneResponse
}

/// The query of POST /build that Berth acts on.
public struct BuildOptions: Sendable, Equatable {
  /// `t`: the names to tag the result with.
  public var tags: [String] = []
  /// `dockerfile`: the Dockerfile's path inside the context.
  public var dockerfile = "Dockerfile"
  /// `buildargs`.
  public var buildArgs: [String: String?] = [:]
  /// `labels`: set on the final image.
  public var labels: [String: String] = [:]
  /// `target`: the stage to stop at (the last one when empty).
  public var target: String?
  /// `nocache`.
  public var noCache = false
  /// `q`: only the image ID is reported.
  public var quiet = false
  /// `networkmode`: the network of RUN steps (`default`, `none`, `host` or a network name).
  public var networkMode: String?

  public init() {}
}

public struct BuildCachePruneResponse: Codable, Sendable, Equatable {
  public var cachesDeleted: [String]
  public var spaceReclaimed: Int64

  public init(cachesDeleted: [String], spaceReclaimed: Int64) {
    self.cachesDeleted = cachesDeleted
    self.spaceReclaimed = spaceReclaimed
  }

  enum CodingKeys: String, CodingKey {
    case cachesDeleted = "CachesDeleted"
    case spaceReclaimed = "SpaceReclaimed"
  }
}
