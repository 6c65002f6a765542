// A private view of a container's filesystem for `docker cp`: its root (the running
// container's rootfs bound, or its snapshot mounted when it is stopped) with its volumes and
// binds mounted where the container has them, as dockerd does. The view is a mount of its
// own, made private before anything goes below it, so nothing propagates into the
// container; one lazy unmount takes it all down.
import FoundationEssentials
import LinuxOS
import OCI
import Snapshots

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

final class ContainerFSView: @unchecked Sendable {
  /// How to build the view (decided on the engine's actor, mounted off it).
  struct Plan: Sendable {
    enum Root: Sendable {
      /// The running container's rootfs mount.
      case running(String)
      /// Its snapshot, read-write.
      case snapshot([SnapshotMount])
      /// Its layers, read-only (the writable one topmost).
      case layers(upper: String, lowers: [String])
    }
    var root: Root
    /// Binds from the container's last spec (volumes, binds, /etc/hosts …), parents first.
    var binds: [Mount]
    var mountPoint: String
    /// Before the first start: the binds' mount points are made in the container's
    /// writable layer (dockerd makes them at create).
    var makeMountPoints = false
  }

  let mountPoint: String
  /// O_PATH descriptor of the view's root.
  let rootFD: Int32
  private var closed = false

  private init(mountPoint: String, rootFD: Int32) {
    self.mountPoint = mountPoint
    self.rootFD = rootFD
  }

  deinit { close() }

  static func open(_ plan: Plan) throws -> ContainerFSView {
    let target = plan.mountPoint
    try Files.makeDirectories(target, mode: 0o700)
    do {
      try mountRoot(plan.root, at: target)
    } catch {
      rmdir(target)
      throw error
    }
    do {
      // Private before anything is mounted below it: a bind of a shared rootfs would
      // otherwise pass our volume mounts on to the container's.
      try Mounts.mount(source: "none", target: target, type: nil, flags: UInt(MS_PRIVATE))
      let fd = Glibc.open(target, O_PATH_DIRECTORY)
      guard fd >= 0 else { throw DaemonError.system("open \(target): \(String(cString: strerror(errno)))") }
      let view = ContainerFSView(mountPoint: target, rootFD: fd)
      do {
        for bind in plan.binds { try view.mountBind(bind, makeMountPoint: plan.makeMountPoints) }
      } catch {
        view.close()
        throw error
      }
      return view
    } catch {
      _ = umount2(target, Int32(MNT_DETACH))
      rmdir(target)
      throw error
    }
  }

  private static let O_PATH_DIRECTORY: Int32 = 0o10000000 | O_DIRECTORY | O_CLOEXEC

  private static func mountRoot(_ root: Plan.Root, at target: String) throws {
    switch root {
    case .running(let rootfs):
      try Mounts.mount(source: rootfs, target: target, type: nil, flags: UInt(MS_BIND))
    case .snapshot(let mounts):
      try mounts.mount(at: target)
    case .layers(let upper, let lowers) where lowers.isEmpty:
      try Mounts.mount(source: upper, target: target, type: nil, flags: UInt(MS_BIND))
      try Mounts.mount(
        source: "none", target: target, type: nil, flags: UInt(MS_BIND | MS_REMOUNT | MS_RDONLY))
    case .layers(let upper, let lowers):
      let overlay = SnapshotMount(
        type: "overlay", source: "overlay",
        options: ["ro", "index=off", "lowerdir=" + ([upper] + lowers).joined(separator: ":")])
      try overlay.mount(at: target)
    }
  }

  /// Mounts one bind where the container has it. The destination is resolved inside the
  /// view (a symlink in the image cannot send it elsewhere) and mounted on through its
  /// descriptor; a destination missing from the rootfs is skipped.
  private func mountBind(_ m: Mount, makeMountPoint: Bool) throws {
    guard let source = m.source, !source.hasPrefix("/proc/") else { return }
    var sst = stat()
    guard stat(source, &sst) == 0 else { return }
    let sourceIsDirectory = sst.st_mode & S_IFMT == S_IFDIR
    let found =
      makeMountPoint && sourceIsDirectory
      ? try InRootPath.makeDirectories(rootFD, m.destination) : try InRootPath.open(rootFD, m.destination)
    guard let fd = found else { return }
    defer { Glibc.close(fd) }
    var dst = stat()
    guard fstatat(fd, "", &dst, InRootPath.atEmptyPath) == 0 else { return }
    guard sourceIsDirectory == (dst.st_mode & S_IFMT == S_IFDIR) else { return }
    let recursive = (m.options ?? []).contains("rbind")
    try Mounts.mount(
      source: source, target: "/proc/self/fd/\(fd)", type: nil, flags: UInt(MS_BIND | (recursive ? MS_REC : 0)))
    guard (m.options ?? []).contains("ro") else { return }
    // The new mount is reached by resolving the destination again (the old descriptor
    // still names the directory beneath it).
    guard let top = try InRootPath.open(rootFD, m.destination) else { return }
    defer { Glibc.close(top) }
    try Mounts.mount(
      source: "none", target: "/proc/self/fd/\(top)", type: nil, flags: UInt(MS_BIND | MS_REMOUNT | MS_RDONLY))
  }

  /// Unmounts the whole view (lazily: a reader that is still going keeps it alive).
  func close() {
    guard !closed else { return }
    closed = true
    Glibc.close(rootFD)
    _ = umount2(mountPoint, Int32(MNT_DETACH))
    rmdir(mountPoint)
  }

  /// The view of container `record` (see `Plan`); `writable` picks the snapshot over the
  /// read-only layers for a stopped container.
  static func plan(
    _ record: ContainerRecord, bundle dir: String, execRoot: String, writable: Bool,
    layers: () throws -> (upper: String, lowers: [String]), snapshot: () throws -> [SnapshotMount],
    mountsBeforeFirstStart: () throws -> [Mount]
  ) throws -> Plan {
    let rootfs = ContainerArea.rootfs(dir)
    let root: Plan.Root
    if record.state.isRunning && isMountPoint(rootfs) {
      root = .running(rootfs)
    } else if writable {
      root = .snapshot(try snapshot())
    } else {
      let (upper, lowers) = try layers()
      root = .layers(upper: upper, lowers: lowers)
    }
    var binds: [Mount] = []
    var makeMountPoints = false
    if let bytes = try? Files.read(dir + "/config.json") {
      binds = (try JSONDecoder().decode(Spec.self, from: Data(bytes)).mounts ?? []).filter { $0.type == "bind" }
    } else {
      // Created, never started: the mounts its spec will have (volumes are made at create,
      // so a `put_archive` into a declared volume lands in the volume, as with dockerd).
      binds = try mountsBeforeFirstStart().filter { $0.type == "bind" }
      makeMountPoints = writable && !record.state.isRunning
    }
    let mountPoint =
      execRoot + "/archive/" + record.id.prefix(12) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    return Plan(root: root, binds: binds, mountPoint: mountPoint, makeMountPoints: makeMountPoints)
  }

  /// Whether a filesystem is mounted at `path` (its device differs from its parent's).
  static func isMountPoint(_ path: String) -> Bool {
    var a = stat()
    var b = stat()
    guard stat(path, &a) == 0, stat(path + "/..", &b) == 0 else { return false }
    return a.st_dev != b.st_dev
  }
}
