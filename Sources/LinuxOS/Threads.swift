import Glibc

/// Plain OS threads, for blocking work that must not hold one of Swift concurrency's
/// few cooperative threads.
public enum Threads {
  private final class Box: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }

  /// Starts `body` on a new detached thread (or runs it here if no thread can be made).
  public static func detach(_ body: @escaping @Sendable () -> Void) {
    if !start(body) { body() }
  }

  /// Starts `body` on a new detached thread; false if no thread could be made.
  @discardableResult
  public static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
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
    guard rc == 0 else {
      Unmanaged<Box>.fromOpaque(box).release()
      return false
    }
    pthread_detach(thread)
    return true
  }
}
