import Glibc
import LinuxOS

/// `create --handshake-fd N` (berth's extension, used by berth-shim): the runtime is started
/// before its bundle is ready, so its own start-up overlaps berthd's rootfs mount and
/// config.json; it waits for one byte on socket N before it reads the bundle, and writes
/// one byte back once the container is created and the pid file written, so the shim goes
/// on without waiting for this process to exit. End of file instead of the byte: the
/// create was called off.
struct CreateHandshake {
  let fd: Int32

  init?(_ value: String?) throws {
    guard let value else { return nil }
    guard let fd = Int32(value), fd >= 3 else { throw UsageError("--handshake-fd: invalid fd \(value)") }
    self.fd = fd
    _ = try? FD.setCloseOnExec(fd, true)
  }

  /// Waits for the go-ahead; throws when the other end gave up.
  func awaitGo() throws {
    let byte = try FD.read(fd, max: 1)
    guard !byte.isEmpty else { throw RuntimeCancelled() }
  }

  func reportCreated() {
    _ = try? FD.write(fd, [1])
    FD.close(fd)
  }
}

/// The create was called off before it began: nothing was made, nothing to report.
struct RuntimeCancelled: Error, CustomStringConvertible {
  var description: String { "create called off before the bundle was read" }
}
