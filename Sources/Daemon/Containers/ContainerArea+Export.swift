// `docker export` (GET /containers/{id}/export): the container's merged filesystem as a tar,
// streamed. The layers are mounted read-only in a private overlay of their own (the writable
// directory as the topmost lower), so it works whether the container runs or not and never
// touches the container's own rootfs mount.
import Archive
import EngineAPI
import LinuxOS
import Snapshots

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ContainerArea {
  public func exportContainer(id ref: String) async throws -> ByteStream {
    let record = try record(ref)
    let (upper, lowers) = try containerLayerDirectories(record.id)
    let target =
      config.execRoot + "/export/" + record.id.prefix(12) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    return try ByteStreamBridge.produce { fd in
      try ContainerFS.exportTar(upper: upper, lowers: lowers, mountPoint: target, to: fd)
    }
  }
}

extension ContainerFS {
  /// Writes the union of `upper` over `lowers` as a tar to `fd`.
  static func exportTar(upper: String, lowers: [String], mountPoint: String, to fd: Int32) throws {
    guard !lowers.isEmpty else {
      try writeTree(upper, to: fd)
      return
    }
    try Files.makeDirectories(mountPoint, mode: 0o700)
    defer { rmdir(mountPoint) }
    let mount = SnapshotMount(
      type: "overlay", source: "overlay",
      options: ["ro", "index=off", "lowerdir=" + ([upper] + lowers).joined(separator: ":")])
    try mount.mount(at: mountPoint)
    defer {
      if (try? SnapshotMount.unmount(mountPoint)) == nil { try? SnapshotMount.unmount(mountPoint, detach: true) }
    }
    try writeTree(mountPoint, to: fd)
  }

  /// A whole directory tree as a tar (the merged view holds no whiteouts).
  static func writeTree(_ dir: String, to fd: Int32) throws {
    let tar = try TarWriter(fd: fd)
    try LayerDiff.write(upperDirectory: dir, to: tar)
    try tar.close()
  }
}
