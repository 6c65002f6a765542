// POST /containers/prune: removes every container that is not running (created, exited,
// dead), as dockerd, with its `until`, `label` and `label!` filters.
import EngineAPI

extension ContainerArea {
  public func pruneContainers(filters: Filters) async throws -> ContainerPruneResponse {
    try filters.validate(allowed: ["until", "label", "label!"])
    let until = try filters.pruneUntil(now: Timestamps.nowSeconds(), parseTimestamp: Timestamps.parse)
    var deleted: [String] = []
    var reclaimed: Int64 = 0
    for r in containers.all() where !r.state.isRunning && r.state.status != .removing {
      if let until, let created = Timestamps.parse(r.created), created >= until { continue }
      let labels = r.settings.labels ?? [:]
      guard filters.matchLabels(labels), filters.passesNegatedLabels(labels) else { continue }
      let upper = try? containerLayerDirectories(r.id).upper
      let size = await BlockingPool.shared.run { upper.map { ContainerFS.diskUsage($0) } ?? 0 }
      do {
        try await removeContainer(id: r.id, options: ContainerRemoveOptions())
        deleted.append(r.id)
        reclaimed += size
      } catch {
        // dockerd skips a container it cannot remove and goes on with the others.
        DaemonLog.engine.warning("prune: could not remove container \(r.id): \(error)")
      }
    }
    emit("container", "prune", id: "", ["reclaimed": "\(reclaimed)"])
    return ContainerPruneResponse(containersDeleted: deleted, spaceReclaimed: reclaimed)
  }
}
