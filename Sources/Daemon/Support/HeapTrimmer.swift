// berthd's heap, kept small between bursts of API calls. glibc gives each thread that
// allocates at once an arena of its own (up to 8 per core) and keeps the memory freed
// there; a few hundred mixed calls left berthd at twice its fresh PSS. Two arenas, and a
// trim every few seconds, give it back.
import CBerth

enum HeapTrimmer {
  /// Once, at berthd's start, before threads are made.
  static func start(everySeconds interval: UInt64 = 10) {
    _ = berth_malloc_arena_max(2)
    Task.detached(priority: .background) {
      while true {
        do {
          try await Task.sleep(nanoseconds: interval * 1_000_000_000)
        } catch {
          return
        }
        _ = berth_malloc_trim()
      }
    }
  }
}
