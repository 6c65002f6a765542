// A container's json-file log, read as it grows. The file is opened when the reader starts
// (so a removal right after does not take the lines away) and opened again when the shim
// has rotated it (max-size): the old file is read to its end first.
import LinuxOS
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

final class LogFile: Sendable {
  private let path: String
  private let fd: Mutex<Int32>

  init(path: String) {
    self.path = path
    // Not there yet for a container that never wrote: opened at the first read then.
    fd = Mutex((try? FD.open(path, O_RDONLY | O_CLOEXEC)) ?? -1)
  }

  /// What was written since the last call (blocking: call it on the pool).
  func readAppended() -> [UInt8] {
    fd.withLock { fd in
      if fd < 0 { fd = (try? FD.open(path, O_RDONLY | O_CLOEXEC)) ?? -1 }
      guard fd >= 0 else { return [] }
      var out = drain(fd)
      if rotated(fd) {
        FD.close(fd)
        fd = (try? FD.open(path, O_RDONLY | O_CLOEXEC)) ?? -1
        if fd >= 0 { out += drain(fd) }
      }
      return out
    }
  }

  private func drain(_ fd: Int32) -> [UInt8] {
    var out: [UInt8] = []
    while true {
      do {
        let chunk = try FD.read(fd, max: 256 * 1024)
        if chunk.isEmpty { return out }
        out += chunk
      } catch {
        DaemonLog.engine.warning("reading log \(path): \(error)")
        return out
      }
    }
  }

  /// Whether the path now names another file than the open one.
  private func rotated(_ fd: Int32) -> Bool {
    var open = stat()
    var current = stat()
    guard fstat(fd, &open) == 0, stat(path, &current) == 0 else { return false }
    return open.st_ino != current.st_ino || open.st_dev != current.st_dev
  }

  func close() {
    fd.withLock { fd in
      if fd >= 0 { FD.close(fd) }
      fd = -1
    }
  }
}
