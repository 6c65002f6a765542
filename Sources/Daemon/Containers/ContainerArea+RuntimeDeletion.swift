// The runtime's `delete` of an exited container (its cgroup and state), run beside the
// rest of the exit path instead of before it. Whatever needs the runtime's container gone
// (start, remove, a restart) awaits it.
//
// It runs in berthd, through the Runtime library that berth-runtime is a command line
// for, on the same --root: the same state files and the same steps (kill what is left,
// remove the cgroups, poststop hooks, remove the state), without starting a process on
// every exit. Nothing in it forks. Only for berth-runtime: other runtimes (runc, crun)
// are driven by their command line, `delete --force`.
import Runtime

extension ContainerArea {
  /// Starts the runtime's `delete --force` of `id` unless one is already under way: the
  /// runtime its record names, else `runtime` (a container whose record is gone).
  @discardableResult
  func beginRuntimeDeletion(_ id: String, runtime: String? = nil) -> Task<Void, Never> {
    if let pending = runtimeDeletions[id] { return pending }
    let named = (try? containers.get(id))?.settings.runtime ?? runtime
    let deletion = Task {
      do {
        let runtime = try config.runtimes.command(named)
        if runtime.inProcess {
          try await BlockingPool.shared.run { try Runtime(root: runtime.root).delete(id: id, force: true) }
        } else {
          _ = try await BlockingPool.shared.run { try runtime.run(["delete", "--force", id]) }
        }
      } catch {
        DaemonLog.engine.warning("runtime delete of container \(id) failed: \(error)")
      }
    }
    runtimeDeletions[id] = deletion
    return deletion
  }

  /// Waits for the runtime's delete of `id`, if one is under way.
  func finishRuntimeDeletion(_ id: String) async {
    guard let pending = runtimeDeletions[id] else { return }
    await pending.value
    if runtimeDeletions[id] == pending { runtimeDeletions[id] = nil }
  }

  /// Whether nothing of the container can outlive its init: with a private pid namespace
  /// the kernel has killed every other process in it before the init is reaped.
  static func diesWithInit(_ settings: ContainerSettings) -> Bool {
    let mode = settings.pidMode ?? ""
    return mode != "host" && !mode.hasPrefix("container:")
  }
}
