// The daemon's events: an in-memory bus with a bounded ring buffer of past events (for
// `since`) and live subscribers (GET /events).
import EngineAPI
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public final class EventBus: Sendable {
  struct Subscriber {
    var filters: Filters
    var continuation: AsyncThrowingStream<EventMessage, any Error>.Continuation
  }
  struct State {
    var ring: [EventMessage] = []
    var next = 0
    var subscribers: [Int: Subscriber] = [:]
    var nextID = 0
    var lastNano: Int64 = 0
  }
  let capacity: Int
  let state = Mutex(State())

  public init(capacity: Int = 1024) { self.capacity = capacity }

  /// Publishes an event now (time and scope filled in).
  public func publish(type: String, action: String, id: String, attributes: [String: String] = [:]) {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    let raw = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    state.withLock { s in
      // Strictly increasing times keep `since`/`until` and ordering consistent.
      let nano = max(raw, s.lastNano + 1)
      s.lastNano = nano
      var m = EventMessage(
        type: type, action: action, actor: EventActor(id: id, attributes: attributes), scope: "local",
        time: nano / 1_000_000_000, timeNano: nano)
      if type == "container" || type == "image" {
        m.status = action
        m.id = id
        if type == "container" { m.from = attributes["image"] }
      }
      if s.ring.count < capacity {
        s.ring.append(m)
      } else {
        s.ring[s.next] = m
        s.next = (s.next + 1) % capacity
      }
      for sub in s.subscribers.values where Self.matches(m, sub.filters) { sub.continuation.yield(m) }
    }
  }

  /// Past events (from `since`), then live ones until `until` (or until the client leaves).
  public func subscribe(since: Double?, until: Double?, filters: Filters) -> AsyncThrowingStream<
    EventMessage, any Error
  > {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: EventMessage.self, throwing: (any Error).self)
    let sinceNano = since.map { Int64($0 * 1_000_000_000) }
    let untilNano = until.map { Int64($0 * 1_000_000_000) }
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    let now = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    let id: Int? = state.withLock { s in
      let past = Array(s.ring[s.next...] + s.ring[..<s.next])
      if let sinceNano {
        for m in past {
          let t = m.timeNano ?? 0
          guard t >= sinceNano, untilNano.map({ t <= $0 }) ?? true, Self.matches(m, filters) else { continue }
          continuation.yield(m)
        }
      }
      if let untilNano, untilNano <= now { return nil }
      let id = s.nextID
      s.nextID += 1
      s.subscribers[id] = Subscriber(filters: filters, continuation: continuation)
      return id
    }
    guard let id else {
      continuation.finish()
      return stream
    }
    let timer: Task<Void, Never>? = untilNano.map { u in
      Task { [weak self] in
        try? await Task.sleep(nanoseconds: UInt64(max(0, u - now)))
        if Task.isCancelled { return }
        self?.unsubscribe(id)?.finish()
      }
    }
    continuation.onTermination = { [weak self] _ in
      timer?.cancel()
      _ = self?.unsubscribe(id)
    }
    return stream
  }

  func unsubscribe(_ id: Int) -> AsyncThrowingStream<EventMessage, any Error>.Continuation? {
    state.withLock { $0.subscribers.removeValue(forKey: id)?.continuation }
  }

  /// Docker's event filters: type, event, container, image, volume, label.
  static func matches(_ m: EventMessage, _ f: Filters) -> Bool {
    let type = m.type ?? ""
    let action = m.action ?? ""
    let id = m.actor?.id ?? ""
    let attrs = m.actor?.attributes ?? [:]
    if !f.match("type", type) { return false }
    if f.contains("event"), !f.values("event").isEmpty {
      let base = action.split(separator: ":").first.map(String.init) ?? action
      if !f.values("event").contains(where: { $0 == action || $0 == base }) { return false }
    }
    func fuzzy(_ key: String, _ names: [String]) -> Bool {
      let wanted = f.values(key)
      guard !wanted.isEmpty else { return true }
      return wanted.contains { w in id == w || (!w.isEmpty && id.hasPrefix(w)) || names.contains(w) }
    }
    if f.contains("container") {
      guard type == "container", fuzzy("container", [attrs["name"] ?? ""]) else { return false }
    }
    if f.contains("volume") {
      guard type == "volume", fuzzy("volume", []) else { return false }
    }
    if f.contains("image") {
      let image = attrs["image"] ?? ""
      let names = [image, image.split(separator: ":").first.map(String.init) ?? image, attrs["name"] ?? ""]
      guard type == "container" || type == "image", fuzzy("image", names) else { return false }
    }
    if !f.matchLabels(attrs) { return false }
    return true
  }
}
