// Runs blocking work (shim sockets, waits, file I/O) on its own OS thread so it never
// occupies one of the few cooperative threads Swift concurrency runs tasks on.
import LinuxOS

enum BlockingThread {
  /// Starts `body` on a new detached thread.
  static func detach(_ body: @escaping @Sendable () -> Void) { Threads.detach(body) }

  /// Runs `body` on a new thread and returns its result.
  @discardableResult
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
      detach {
        do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
      }
    }
  }
}
