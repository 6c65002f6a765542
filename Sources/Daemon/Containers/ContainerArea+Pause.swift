// Pause and unpause: the runtime freezes and thaws the container's cgroup.
import EngineAPI

extension ContainerArea {
  public func pauseContainer(id ref: String) async throws {
    let id = try record(ref).id
    try await transition(id) { try await pauseInTurn(id) }
  }

  public func unpauseContainer(id ref: String) async throws {
    let id = try record(ref).id
    try await transition(id) { try await unpauseInTurn(id) }
  }

  /// Pauses; the caller holds the container's turn.
  func pauseInTurn(_ ref: String) async throws {
    try await mapErrors {
      let r = try record(ref)
      guard r.state.status != .paused else { throw EngineError.conflict("Container \(r.id) is already paused") }
      guard r.state.status == .running else { throw EngineError.conflict("Container \(r.id) is not running") }
      let rt = try runtime(for: r)
      try await BlockingPool.shared.run { try rt.checkRunning(["pause", r.id], pid: r.state.pid, id: r.id) }
      try containers.update(r.id) { $0.state.status = .paused }
      emit("pause", r)
    }
  }

  /// Unpauses; the caller holds the container's turn.
  func unpauseInTurn(_ ref: String) async throws {
    try await mapErrors {
      let r = try record(ref)
      guard r.state.status == .paused else { throw EngineError.conflict("Container \(r.id) is not paused") }
      let rt = try runtime(for: r)
      try await BlockingPool.shared.run { try rt.checkRunning(["resume", r.id], pid: r.state.pid, id: r.id) }
      try containers.update(r.id) { if $0.state.status == .paused { $0.state.status = .running } }
      emit("unpause", r)
    }
  }
}
