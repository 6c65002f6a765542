// The build area: POST /build runs a Dockerfile the way dockerd's classic builder does —
// each step a container (RUN) or a copy into one (COPY, ADD, WORKDIR) committed as an
// image, or a config-only image (ENV, CMD …) — with a cache of steps kept as intermediate
// images (see BuildCache).
import EngineAPI
import Images
import LinuxOS
import OCI

public final class BuildArea: EngineArea {
  public let context: EngineContext
  let containerArea: ContainerArea
  let cache: BuildCache

  init(context: EngineContext, containers: ContainerArea) throws {
    self.context = context
    self.containerArea = containers
    cache = try BuildCache(path: context.config.dataRoot + "/builder/cache.json")
  }

  /// RUN --mount=type=cache directories (kept across builds until `builder prune`).
  var cacheMountsRoot: String { config.dataRoot + "/builder/cache-mounts" }

  /// Where build contexts are unpacked for the time of a build.
  var contextsRoot: String { config.dataRoot + "/builder/contexts" }
}

extension BuildArea: BuildBackend {
  public func build(options: BuildOptions, context body: ByteStream) async throws
    -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    // The context is read before the answer starts: a bad tarball is a 400, as dockerd's.
    let directory = try await BuildContextDirectory.receive(body, under: contextsRoot)
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: ProgressMessage.self)
    let run = BuildRun(area: self, options: options, contextDirectory: directory, output: continuation)
    let task = Task {
      defer { directory.remove() }
      do {
        try await run.execute()
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { reason in
      if case .cancelled = reason { task.cancel() }
    }
    return stream
  }

  public func pruneBuildCache(all: Bool) async throws -> BuildCachePruneResponse {
    try await mapErrors {
      let store = images
      let cache = cache
      let cacheMounts = cacheMountsRoot
      return try await BlockingPool.shared.run { () throws -> BuildCachePruneResponse in
        // What the steps' images hold, by blob: after the collection, what is gone was reclaimed.
        var sizes: [Digest: Int64] = [:]
        for g in ImageArea.imageGroups(store) where g.records.allSatisfy({ $0.intermediate == true }) {
          for d in g.image.manifest.layers + [g.image.manifest.config, g.image.manifestDescriptor] {
            sizes[d.digest] = d.size
          }
        }
        try cache.removeAll()
        try Files.removeTree(cacheMounts)
        let ids = try store.removeIntermediates()
        try store.garbageCollect()
        let reclaimed = sizes.filter { !store.content.contains($0.key) }.values.reduce(0, +)
        return BuildCachePruneResponse(cachesDeleted: ids, spaceReclaimed: reclaimed)
      }
    }
  }
}
