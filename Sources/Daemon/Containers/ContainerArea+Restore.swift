// Live restore at daemon start: re-attach to the shims of running containers, record the
// exits that happened while berthd was away, and reconcile with the kernel what a crash
// left behind: containers the runtime still holds (or shims still run) for records that
// are not running (a crash between the shim's launch and the record's update), runtime
// and shim state of containers that have no record, rootfs mounts nothing needs, and
// empty container cgroups under the cgroup parent.
import Cgroups
import EngineAPI
import LinuxOS
import Shim
import Snapshots

#if canImport(Glibc)
  import Glibc
#endif

extension ContainerArea {
  public func restore() async {
    var running: Set<String> = []
    for r in containers.all() where r.state.isRunning {
      // Waiting for a restart when berthd went away: restarted below.
      if r.state.status == .restarting { continue }
      let alive =
        r.state.pid > 0 && Processes.isAlive(r.state.pid)
        && (r.state.pidStartTime == nil || Processes.startTime(r.state.pid) == r.state.pidStartTime)
      if alive {
        running.insert(r.id)
        monitor(r.id)
        startHealthcheck(r.id, restored: true)
      } else {
        await exited(r.id, status: shimClient(r.id).exitStatus(), applyPolicy: false)
      }
    }
    // The exits above delete from the runtime meanwhile; orphans are what remains after.
    for id in Array(runtimeDeletions.keys) { await finishRuntimeDeletion(id) }
    await removeOrphans(keeping: running)
    await removeLeftoversOfAutoRemove(keeping: running)
    await restartPoliciesAtDaemonStart()
  }

  /// As dockerd: an AutoRemove (`--rm`) container that is not running at restore is
  /// removed. Its record and rootfs snapshot are written without fsync
  /// (`ContainerStore.write`), so after a machine crash either may be missing or stale;
  /// a container snapshot whose record is gone is removed too.
  func removeLeftoversOfAutoRemove(keeping running: Set<String>) async {
    for record in containers.all() where record.settings.autoRemove && !running.contains(record.id) {
      try? await removeContainer(id: record.id, options: ContainerRemoveOptions(force: true))
    }
    let known = Set(containers.all().map { Self.snapshotKey($0.id) })
    let snapshots = images.snapshots
    _ = try? await BlockingPool.shared.run {
      for info in snapshots.list()
      where info.kind == .active && info.key.hasPrefix(Self.snapshotKey("")) && !known.contains(info.key) {
        try? snapshots.remove(info.key)
      }
    }
  }

  /// Deletes (through the runtime) every container the runtime or a shim still holds that
  /// is not a running, monitored container, then unmounts and removes what they used.
  func removeOrphans(keeping running: Set<String>) async {
    let cfg = config
    let known = Set(containers.all().map(\.id))
    // What every runtime holds, each under its own root (berth-runtime's, runc's …).
    var runtimeOf: [String: String] = [:]
    for name in cfg.runtimes.paths.keys.sorted() {
      for id in ((try? Files.list(cfg.runtimes.root(name))) ?? []).filter(ContainerStore.isID) { runtimeOf[id] = name }
    }
    let runtimeIDs = Array(runtimeOf.keys)
    let shimDirs = (try? Files.list(cfg.execRoot + "/shims")) ?? []
    var orphans = Set(runtimeIDs.filter { !running.contains($0) })
    // Shim state directories are named by the first 16 hex digits of the id.
    var orphanShimDirs: [String] = []
    for dir in shimDirs where !running.contains(where: { $0.hasPrefix(dir) }) {
      if let id = known.first(where: { $0.hasPrefix(dir) }) { orphans.insert(id) } else { orphanShimDirs.append(dir) }
    }
    // Kill what the runtime holds; each shim then reaps its init, answers the waiter and
    // exits (on its own within its finish timeout if nobody waits).
    var shimStateDirs: [String] = orphanShimDirs.map { cfg.execRoot + "/shims/" + $0 }
    for id in orphans.sorted() {
      beginRuntimeDeletion(id, runtime: runtimeOf[id])
      await finishRuntimeDeletion(id)
      shimStateDirs.append(cfg.shimState(id))
    }
    let stateDirs = shimStateDirs
    _ = try? await BlockingPool.shared.run {
      var shims: [Int32] = []
      for dir in stateDirs {
        let client = ShimClient(stateDir: dir)
        guard let text = try? Files.readString(client.paths.shimPID),
          let pid = Int32(text.filter(\.isNumber)), pid > 0
        else { continue }
        shims.append(pid)
        // Never blocks restore: a shim that does not answer only holds this thread.
        DedicatedThread.detach { _ = try? client.wait() }
      }
      for _ in 0..<60 where shims.contains(where: { Processes.isAlive($0) }) { usleep(50_000) }
      for dir in stateDirs { try? Files.removeTree(dir) }
    }
    for id in orphans where known.contains(id) { await cleanupAfterExit(id) }
    // Rootfs mounts of containers that are not running (a crash between mount and record).
    let mountinfo = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    for point in Mounts.mountPoints(mountInfo: mountinfo) where point.hasPrefix(cfg.bundlesRoot + "/") {
      let parts = point.dropFirst(cfg.bundlesRoot.count + 1).split(separator: "/")
      guard parts.count == 2, parts[1] == "rootfs" else { continue }
      if !running.contains(String(parts[0])) {
        try? SnapshotMount.unmount(point, detach: true)
      }
    }
    // Bundles of containers that no longer exist (a crash during create or removal).
    for id in (try? Files.list(cfg.bundlesRoot)) ?? [] where !known.contains(id) {
      Self.removeBundle(cfg.bundle(id))
    }
    // Container cgroups (named by id) under the parent that no running container uses; a
    // cgroup that still has processes is not empty and stays (rmdir fails).
    for dir in Self.cgroupDirectories(cfg.cgroupParent, mountInfo: mountinfo) {
      for name in (try? Files.list(dir)) ?? [] where ContainerStore.isID(name) && !running.contains(name) {
        rmdir(dir + "/" + name)
      }
    }
  }

  /// The directory of `cgroup` in every mounted hierarchy (v1 controllers and cgroup2).
  static func cgroupDirectories(_ cgroup: String, mountInfo: String) -> [String] {
    let mounts = CgroupMounts(mountInfo: mountInfo)
    var points: [String] = []
    for h in Array(mounts.v1.values) + (mounts.unified.map { [$0] } ?? []) {
      let relative: String
      if h.root == "/" {
        relative = cgroup
      } else if cgroup.hasPrefix(h.root + "/") {
        relative = String(cgroup.dropFirst(h.root.count))
      } else {
        continue
      }
      let path = h.mountPoint + relative
      if !points.contains(path) && Files.exists(path) { points.append(path) }
    }
    return points
  }
}
