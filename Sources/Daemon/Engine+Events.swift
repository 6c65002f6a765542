// GET /events, and the helpers the engine calls to publish container, image and volume events.
import EngineAPI

extension Engine {
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

  /// Publishes an event of any type.
  nonisolated func emit(_ type: String, _ action: String, id: String, _ attributes: [String: String] = [:]) {
    eventBus.publish(type: type, action: action, id: id, attributes: attributes)
  }

  /// Publishes a container event: attributes are the container's labels, name and image
  /// (as dockerd), plus `extra` (exitCode, signal, …).
  nonisolated func emit(_ action: String, _ record: ContainerRecord, _ extra: [String: String] = [:]) {
    var attributes = record.settings.labels ?? [:]
    attributes["name"] = record.shortName
    attributes["image"] = record.imageName
    for (k, v) in extra { attributes[k] = v }
    eventBus.publish(type: "container", action: action, id: record.id, attributes: attributes)
  }

  /// A container event by id (looked up; nothing if the container is gone).
  nonisolated func emit(_ action: String, container id: String, _ extra: [String: String] = [:]) {
    guard let record = try? containers.get(id) else { return }
    emit(action, record, extra)
  }
}

extension Engine {
  /// untag and delete events for an image removal's answer.
  nonisolated func emitImageRemoval(_ items: [ImageDeleteResponseItem], id: String) {
    for item in items {
      if let name = item.untagged { emit("image", "untag", id: id, ["name": name]) }
      if item.deleted != nil { emit("image", "delete", id: id, ["name": id]) }
    }
  }
}
