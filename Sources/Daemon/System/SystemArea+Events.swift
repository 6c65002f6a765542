// GET /events.
import EngineAPI

extension SystemArea {
  public func events(options: EventsOptions) async throws -> AsyncThrowingStream<EventMessage, any Error> {
    try options.filters.validate(
      allowed: [
        "type", "event", "container", "image", "volume", "label", "network", "daemon", "plugin", "node",
        "service", "secret", "config", "scope",
      ])
    if let s = options.since, let u = options.until, u < s {
      throw EngineError.badParameter("`since` time (\(s)) cannot be after `until` time (\(u))")
    }
    return eventBus.subscribe(since: options.since, until: options.until, filters: options.filters)
  }
}
