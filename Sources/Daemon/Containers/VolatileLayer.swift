import Snapshots

extension Array where Element == SnapshotMount {
  /// The writable layer of a container that is removed when it exits (`--rm`) is thrown
  /// away, so it needs no syncs. Overlay's `volatile` option skips them; without it,
  /// unmounting the rootfs waits for the upper filesystem to sync (100 ms and more here),
  /// and `run --rm` waits for that. Podman does the same for its `--rm` containers.
  /// Falls back to an ordinary mount on kernels without `volatile` (before 5.10).
  func mount(at target: String, volatile: Bool) throws {
    guard volatile, contains(where: { $0.type == "overlay" && $0.upperDirectory != nil }) else {
      return try mount(at: target)
    }
    let marked = map { m -> SnapshotMount in
      guard m.type == "overlay", m.upperDirectory != nil else { return m }
      return SnapshotMount(type: m.type, source: m.source, options: m.options + ["volatile"])
    }
    do {
      try marked.mount(at: target)
    } catch {
      try mount(at: target)
    }
  }
}
