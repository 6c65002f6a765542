// What a berthd killed mid-pull leaves in the image store: its partial downloads (staged
// files in the content store's ingest directory, named "<pid>-<random>") and the layers it
// was applying ("extract-…" active snapshots). Neither is visible as a blob or an image, but
// nothing would ever remove them; the verified blobs and committed layers stay for the next
// pull to reuse.
import Glibc
import Images
import LinuxOS
import Snapshots

enum InterruptedPulls {
  /// Removes the leftovers of earlier processes; run before this berthd pulls anything.
  static func removeLeftovers(_ store: ImageStore) {
    let ingest = store.content.root + "/ingest"
    let own = "\(getpid())-"
    do {
      for name in try Files.list(ingest) where !name.hasPrefix(own) {
        if unlink(ingest + "/" + name) != 0 && errno != ENOENT {
          DaemonLog.engine.warning("cannot remove the partial download \(ingest)/\(name): errno \(errno)")
        }
      }
    } catch {
      DaemonLog.engine.warning("cannot list \(ingest) for partial downloads: \(error)")
    }
    for snapshot in store.snapshots.list() where snapshot.kind == .active && snapshot.key.hasPrefix("extract-") {
      do {
        try store.snapshots.remove(snapshot.key)
      } catch {
        DaemonLog.engine.warning("cannot remove the half-applied layer \(snapshot.key): \(error)")
      }
    }
  }
}
