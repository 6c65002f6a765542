import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A directory where removed trees wait for a background thread to delete them.
///
/// Deleting a container's directory or snapshot is a few dozen unlinks and rmdirs, each of
/// which may free blocks (on a disk mounted with `discard`, a synchronous device command
/// per block). Moving the tree into the bin is one atomic rename on the same filesystem:
/// the tree is gone from where it was at once, and what removal waits for no longer waits
/// for the disk. The thread runs only while the bin holds something; a bin left non-empty
/// by a crash is emptied when it is next opened.
public final class TrashBin: Sendable {
  public let path: String
  private let state = Mutex(State())

  private struct State {
    var workerRunning = false
    /// Set when a tree arrives while the worker runs, so it looks again before it stops.
    var arrivedSinceListing = false
  }

  /// Opens (creating) the bin at `path` and starts emptying what a crash left in it.
  public init(path: String) throws {
    self.path = path
    try Files.makeDirectories(path, mode: 0o700)
    if !(try Files.list(path)).isEmpty { wakeWorker() }
  }

  /// Moves `tree` into the bin and has it deleted in the background. Deletes it here when
  /// it cannot be moved (another filesystem). A missing `tree` is not an error.
  public func discard(_ tree: String) throws {
    let target = "\(path)/\(UInt64.random(in: 0...UInt64.max))"
    guard rename(tree, target) == 0 else {
      switch errno {
      case ENOENT: return
      default: try Files.removeTree(tree)
      }
      return
    }
    wakeWorker()
  }

  /// Blocks until everything discarded so far is deleted (tests; an orderly shutdown).
  public func waitUntilEmpty() {
    while state.withLock({ $0.workerRunning }) { usleep(1000) }
  }

  private func wakeWorker() {
    let start = state.withLock { s -> Bool in
      s.arrivedSinceListing = true
      guard !s.workerRunning else { return false }
      s.workerRunning = true
      return true
    }
    guard start else { return }
    Threads.detach { [self] in empty() }
  }

  private func empty() {
    while true {
      state.withLock { $0.arrivedSinceListing = false }
      var bin = stat()
      if lstat(path, &bin) == 0 {
        for name in (try? Files.list(path)) ?? [] {
          // What cannot be deleted (an immutable file, a mount) stays until the next wake.
          try? Files.removeTree("\(path)/\(name)", stayingOn: bin.st_dev)
        }
      }
      let finished = state.withLock { s -> Bool in
        guard !s.arrivedSinceListing else { return false }
        s.workerRunning = false
        return true
      }
      if finished { return }
    }
  }
}
