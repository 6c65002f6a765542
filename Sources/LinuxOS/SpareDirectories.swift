import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Empty directory trees made ahead of need by a background thread, handed out with one
/// rename.
///
/// Making a directory is allocating an inode, and on a disk that can cost far more than
/// the rename (an ext4 without a journal steps over every inode freed in the last minute).
/// A container's create makes a few (its directory; its snapshot and the snapshot's `fs`
/// and `work`): taking them ready-made keeps that off the request's path. Spares left by
/// a crash are deleted when the pool is opened; it holds at most `keep`.
public final class SpareDirectories: Sendable {
  public let path: String
  private let keep: Int
  private let mode: mode_t
  private let subdirectories: [(name: String, mode: mode_t)]
  private let files: [(name: String, mode: mode_t)]
  /// The pool directory, which spares are made in relative to: once it is deleted (a test's
  /// scratch directory) the thread can no longer make anything there.
  private let directoryFD: Int32
  private let state = Mutex(State())

  private struct State {
    var ready: [String] = []
    var refilling = false
  }

  /// `subdirectories` are made inside each spare, in order (parents first), then the empty
  /// `files` (a temporary file that a first atomic write reuses, for one).
  public init(
    path: String, keep: Int = 2, mode: mode_t, subdirectories: [(name: String, mode: mode_t)] = [],
    files: [(name: String, mode: mode_t)] = []
  ) throws {
    self.path = path
    self.keep = keep
    self.mode = mode
    self.subdirectories = subdirectories
    self.files = files
    try Files.makeDirectories(path, mode: 0o700)
    for name in try Files.list(path) { try? Files.removeTree("\(path)/\(name)") }
    directoryFD = try FD.open(path, O_PATH | O_DIRECTORY)
    refill()
  }

  deinit { FD.close(directoryFD) }

  /// Renames a spare to `destination` (which must not exist); false when there is none
  /// ready or the rename fails: the caller makes the directory itself then.
  public func take(as destination: String) -> Bool {
    let spare = state.withLock { $0.ready.popLast() }
    refill()
    guard let spare else { return false }
    if renameat(directoryFD, spare, AT_FDCWD, destination) == 0 { return true }
    try? Files.removeTree("\(path)/\(spare)")
    return false
  }

  /// Blocks until the pool is full again (tests).
  public func waitUntilFull() {
    while state.withLock({ $0.refilling }) { usleep(1000) }
  }

  private func refill() {
    let start = state.withLock { s -> Bool in
      guard !s.refilling, s.ready.count < keep else { return false }
      s.refilling = true
      return true
    }
    guard start else { return }
    Threads.detach { [self] in
      while true {
        let spare = String(UInt64.random(in: 0...UInt64.max))
        let made = make(spare)
        let more = state.withLock { s -> Bool in
          if made { s.ready.append(spare) }
          guard made, s.ready.count < keep else {
            s.refilling = false
            return false
          }
          return true
        }
        if !more { return }
      }
    }
  }

  /// Makes the spare `name` in the pool (paths relative to the pool's fd).
  private func make(_ name: String) -> Bool {
    guard mkdirat(directoryFD, name, mode) == 0 else { return false }
    guard fchmodat(directoryFD, name, mode, 0) == 0 else { return discard(name) }
    for sub in subdirectories {
      let dir = "\(name)/\(sub.name)"
      guard mkdirat(directoryFD, dir, sub.mode) == 0, fchmodat(directoryFD, dir, sub.mode, 0) == 0 else {
        return discard(name)
      }
    }
    for file in files {
      let fd = openat(directoryFD, "\(name)/\(file.name)", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, file.mode)
      guard fd >= 0, fchmod(fd, file.mode) == 0 else {
        if fd >= 0 { close(fd) }
        return discard(name)
      }
      close(fd)
    }
    return true
  }

  private func discard(_ name: String) -> Bool {
    try? Files.removeTree("\(path)/\(name)")
    return false
  }
}
