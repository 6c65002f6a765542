// The state transitions of one container run one at a time, in the order they were asked
// for: start, stop's signal, kill's signal, pause, unpause, update, rename, commit's
// snapshot, rm, and the recording of an exit. Other containers' transitions, and what only
// waits (attach, logs, wait, a stop's grace period, kill's wait for the exit), do not queue
// behind them. A transition never waits for an exit while it holds its turn: the exit is a
// transition too.
extension ContainerArea {
  /// Runs `body` as container `id`'s transition once the ones before it are done.
  func transition<T>(_ id: String, _ body: () async throws -> T) async throws -> T {
    await takeTurn(id)
    defer { passTurn(id) }
    return try await body()
  }

  /// `transition` for a body that cannot fail.
  func transition<T>(_ id: String, _ body: () async -> T) async -> T {
    await takeTurn(id)
    defer { passTurn(id) }
    return await body()
  }

  private func takeTurn(_ id: String) async {
    guard transitions[id] != nil else {
      transitions[id] = []
      return
    }
    await withCheckedContinuation { transitions[id, default: []].append($0) }
  }

  private func passTurn(_ id: String) {
    guard var queued = transitions[id], !queued.isEmpty else {
      transitions[id] = nil
      return
    }
    let next = queued.removeFirst()
    transitions[id] = queued
    next.resume()
  }
}
