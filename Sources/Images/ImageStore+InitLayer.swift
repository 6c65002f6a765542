// The init layer: one committed snapshot per image top, between the image's layers and
// every container's writable layer, holding the mount targets every container needs
// (/proc, /sys, /dev, and empty /etc/hosts, /etc/hostname, /etc/resolv.conf, which the
// runtime bind-mounts over). Docker makes the same layer once per container; made once
// per image, a container's start no longer copies /etc up into its writable layer and
// creates those files there, four inodes on disk per start.
import Snapshots

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ImageStore {
  /// The init layer's snapshot key for the image whose top layer is `top` (nil: no layers).
  public static func initLayerKey(top: String?) -> String { "init-" + (top ?? "") }

  static let initLayerDirectories = ["proc", "sys", "dev", "etc"]
  static let initLayerFiles = ["etc/hosts", "etc/hostname", "etc/resolv.conf"]

  /// The committed init layer on `top`, made the first time a container of that image is
  /// created.
  func initLayer(on top: String?) throws -> String {
    let key = Self.initLayerKey(top: top)
    if snapshots.stat(key)?.kind == .committed { return key }
    let active = "extract-\(UInt64.random(in: 0...UInt64.max))-\(key)"
    _ = try snapshots.prepare(active, parent: top)
    do {
      let dir = try snapshots.filesystemDirectory(active)
      for name in Self.initLayerDirectories where mkdir(dir + "/" + name, 0o755) != 0 {
        throw ImageError.initLayer("mkdir \(name): \(String(cString: strerror(errno)))")
      }
      for name in Self.initLayerFiles {
        let fd = open(dir + "/" + name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ImageError.initLayer("create \(name): \(String(cString: strerror(errno)))") }
        close(fd)
      }
      do {
        try snapshots.commit(key, key: active)
      } catch SnapshotError.alreadyExists {
        try? snapshots.remove(active)  // a concurrent create made it first
      }
    } catch {
      try? snapshots.remove(active)
      throw error
    }
    return key
  }
}
