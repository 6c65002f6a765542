import CBerth
import Glibc
import LinuxOS

/// Persistent network namespaces (a bind mount of an nsfs file, as `ip netns` makes them)
/// and work inside them. berthd is multithreaded and never forks: each switch happens on a
/// dedicated thread, which returns to its original namespace before it ends.
public enum Netns {
  static let newNet: Int32 = 0x4000_0000
  static let detach: Int32 = 2

  /// Creates a network namespace bound at `path` (a new file), with `lo` up. Returns an
  /// rtnetlink socket inside it (opened while the thread was there: no second switch to
  /// configure the namespace later).
  @discardableResult
  public static func create(at path: String) throws -> NetlinkSocket {
    let fd = try FD.open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o444)
    FD.close(fd)
    do {
      return try onThread {
        try withReturnToOriginal {
          try Namespaces.unshare(newNet)
          try Mounts.mount(source: "/proc/thread-self/ns/net", target: path, type: nil, flags: UInt(MS_BIND))
          let socket = try NetlinkSocket()
          try socket.setLink(1, up: true)  // lo is always index 1 in a new namespace
          return socket
        }
      }
    } catch {
      unlink(path)
      throw error
    }
  }

  /// Unmounts and removes a namespace made by `create` (the kernel frees it, with the
  /// devices still inside, once no process or fd holds it).
  public static func delete(at path: String) throws {
    if umount2(path, detach) != 0 && errno != EINVAL && errno != ENOENT {
      throw SystemError("umount2", errno: errno, path)
    }
    if unlink(path) != 0 && errno != ENOENT { throw SystemError("unlink", errno: errno, path) }
  }

  /// Runs `body` on a dedicated thread inside the namespace at `path`.
  public static func run<R: Sendable>(in path: String, _ body: @escaping @Sendable () throws -> R) throws -> R {
    try onThread {
      try withReturnToOriginal {
        try Namespaces.join(.network, path: path)
        return try body()
      }
    }
  }

  /// An rtnetlink socket bound to the namespace at `path`, usable from any thread.
  public static func netlink(in path: String) throws -> NetlinkSocket {
    try run(in: path) { try NetlinkSocket() }
  }

  /// Runs `body` and puts the calling thread back into its network namespace afterwards.
  private static func withReturnToOriginal<R>(_ body: () throws -> R) throws -> R {
    let original = try FD.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
    defer { FD.close(original) }
    let result = Result { try body() }
    try sys("setns", "back to the original netns") { berth_setns(original, newNet) }
    return try result.get()
  }

  /// Runs `body` on a new thread and waits for it.
  static func onThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) throws -> R {
    let box = ResultBox<R>()
    let thread = JoinableThread { box.result = Result { try body() } }
    try thread.join()
    guard let result = box.result else { throw SystemError("pthread_create", errno: EAGAIN, "netns thread") }
    return try result.get()
  }
}

private final class ResultBox<R>: @unchecked Sendable {
  var result: Result<R, any Error>?
}
