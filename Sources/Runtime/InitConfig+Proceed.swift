extension InitConfig {
  /// Whether the container process waits for the parent's `proceed` before building its
  /// rootfs. `proceed` says the createRuntime hooks have run and carries the host pid the
  /// container's own hooks see; a new container with no such hooks starts at once,
  /// saving a round trip through the parent (two wake-ups, more under load).
  var waitsForProceed: Bool {
    guard mode == .create else { return true }
    let hooks = spec.hooks
    let lists = [hooks?.prestart, hooks?.createRuntime, hooks?.createContainer, hooks?.startContainer]
    return lists.contains { !($0 ?? []).isEmpty }
  }
}
