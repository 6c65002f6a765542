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

/// Work started on its own thread and waited for with `join`.
public final class JoinableThread: @unchecked Sendable {
  private var thread = pthread_t()
  private var started = false
  private var failure: (any Error)?
  private let body: () throws -> Void

  /// Starts `body` on a new thread (or runs it here if no thread can be made).
  public init(_ body: @escaping @Sendable () throws -> Void) {
    self.body = body
    let me = Unmanaged.passRetained(self).toOpaque()
    let rc = pthread_create(
      &thread, nil,
      { arg in
        guard let arg else { return nil }
        Unmanaged<JoinableThread>.fromOpaque(arg).takeRetainedValue().runBody()
        return nil
      }, me)
    if rc == 0 {
      started = true
    } else {
      Unmanaged<JoinableThread>.fromOpaque(me).release()
      runBody()
    }
  }

  private func runBody() {
    do { try body() } catch { failure = error }
  }

  /// Waits for the thread; throws what `body` threw.
  public func join() throws {
    if started {
      pthread_join(thread, nil)
      started = false
    }
    if let failure { throw failure }
  }
}
