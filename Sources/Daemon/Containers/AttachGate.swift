// `docker run` attaches before it starts: start holds the container's process back until
// every attacher that was waiting has connected to the shim (or given up), so none misses
// output. A gate per start, opened by the last attacher or by a timeout — never polled.

/// The attachers one start waits for.
struct AttachGate {
  /// How many attachers were woken; the gate opens when all have settled.
  let expected: Int
  var settled = 0
  let opened: CheckedContinuation<Void, Never>
  /// Opens the gate if the attachers take too long (a client that went away).
  var timeout: Task<Void, Never>?
}

extension ContainerArea {
  /// How long start waits for woken attachers to connect.
  static let attachGateTimeout: UInt64 = 1_000_000_000

  /// Called by start once the shim exists: wakes the attachers and returns once each has
  /// connected to the shim or failed to, or after `attachGateTimeout`.
  func letAttachersConnect(_ id: String) async {
    let waiters = launchWaiters.removeValue(forKey: id) ?? []
    guard !waiters.isEmpty else { return }
    await withCheckedContinuation { (opened: CheckedContinuation<Void, Never>) in
      attachGates[id] = AttachGate(expected: waiters.count, opened: opened)
      attachGates[id]?.timeout = Task { [weak self] in
        try? await Task.sleep(nanoseconds: Self.attachGateTimeout)
        guard !Task.isCancelled else { return }
        await self?.openAttachGate(id)
      }
      for w in waiters { w.resume(returning: true) }
    }
  }

  /// An attacher of `id` connected to the shim, or failed to.
  func attacherSettled(_ id: String) {
    guard var gate = attachGates[id] else { return }
    gate.settled += 1
    attachGates[id] = gate
    if gate.settled >= gate.expected { openAttachGate(id) }
  }

  func openAttachGate(_ id: String) {
    guard let gate = attachGates.removeValue(forKey: id) else { return }
    gate.timeout?.cancel()
    gate.opened.resume()
  }
}
