// Live restore at daemon start: re-attach to the shims of running containers, record the
// exits that happened while berthd was away, and unmount rootfs mounts nothing needs.
import LinuxOS
import Shim
import Snapshots

extension Engine {
  public func restore() async {
    for r in containers.all() where r.state.isRunning {
      let alive =
        r.state.pid > 0 && Processes.isAlive(r.state.pid)
        && (r.state.pidStartTime == nil || Processes.startTime(r.state.pid) == r.state.pidStartTime)
      if alive {
        monitor(r.id)
      } else {
        await exited(r.id, status: shimClient(r.id).exitStatus())
      }
    }
    // Rootfs mounts of containers that are not running (a crash between mount and record).
    let mountinfo = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    for point in Mounts.mountPoints(mountInfo: mountinfo) where point.hasPrefix(config.containersRoot + "/") {
      let parts = point.dropFirst(config.containersRoot.count + 1).split(separator: "/")
      guard parts.count == 2, parts[1] == "rootfs" else { continue }
      if (try? containers.get(String(parts[0])))?.state.isRunning != true {
        try? SnapshotMount.unmount(point, detach: true)
      }
    }
  }
}
