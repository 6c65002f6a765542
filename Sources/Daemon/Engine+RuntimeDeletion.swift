// The runtime's `delete` of an exited container (its cgroup and state), run beside the
// rest of the exit path instead of before it. Whatever needs the runtime's container gone
// (start, remove, a restart) awaits it.
//
// It runs in berthd, through the Runtime library that berth-runtime is a command line
// for, on the same --root: the same state files and the same steps (kill what is left,
// remove the cgroups, poststop hooks, remove the state), without starting a process on
// every exit. Nothing in it forks.
import Runtime

extension Engine {
  /// Starts the runtime's `delete --force` of `id` unless one is already under way.
  @discardableResult
  func beginRuntimeDeletion(_ id: String) -> Task<Void, Never> {
    if let pending = runtimeDeletions[id] { return pending }
    let root = config.runtimeRoot
    let deletion = Task {
      _ = try? await BlockingThread.run { try Runtime(root: root).delete(id: id, force: true) }
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
