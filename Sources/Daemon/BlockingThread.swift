// Runs blocking work (shim sockets, waits, file I/O) on its own OS thread so it never
// occupies one of the few cooperative threads Swift concurrency runs tasks on.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

enum BlockingThread {
  private final class Box: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }

  /// Starts `body` on a new detached thread.
  static func detach(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
      &thread, nil,
      { arg in
        guard let arg else { return nil }
        let box = Unmanaged<Box>.fromOpaque(arg).takeRetainedValue()
        box.body()
        return nil
      }, box)
    if rc == 0 {
      pthread_detach(thread)
    } else {
      Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body()
    }
  }

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
