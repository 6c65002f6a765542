import Glibc

/// The OCI runtime's start gate (runc's and berth-runtime's `<root>/<id>/exec.fifo`): a
/// created container's init blocks opening the fifo for writing, writes one byte, then
/// execs the user's program. Opening it for reading is what `start` does.
public enum ExecFifo {
  /// Lets the init at `pid` go: opens `path`, waits for its byte (or the init's death,
  /// checked every 50 ms), then removes the fifo, which marks the container running.
  public static func release(_ path: String, initPID pid: pid_t) throws {
    let fd = try FD.open(path, O_RDONLY | O_NONBLOCK)
    defer { FD.close(fd) }
    while true {
      var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = Glibc.poll(&poll, 1, 50)
      if ready > 0, !(try FD.read(fd, max: 1)).isEmpty { break }
      if !Processes.isAlive(pid) || Processes.stateLetter(pid) == "Z" {
        throw ExecFifoError.initExited
      }
    }
    unlink(path)
  }

  /// Where the runtime keeps the fifo of container `id` under its `--root`.
  public static func path(runtimeRoot: String, id: String) -> String { "\(runtimeRoot)/\(id)/exec.fifo" }
}

public enum ExecFifoError: Error, CustomStringConvertible, Equatable {
  case initExited

  public var description: String { "cannot start a container that has stopped" }
}
