// What the areas share: the configuration, the stores on disk and the event bus.
import EngineAPI
import Images
import OCI
import LinuxOS
import Shim

/// The stores are safe to use from any thread. Each is written by the area that owns it
/// (ContainerStore: containers; ImageStore: images; VolumeStore: volumes) and only read by
/// the others.
public final class EngineContext: Sendable {
  public let config: EngineConfig
  public let images: ImageStore
  public let containers: ContainerStore
  public let volumes: VolumeStore
  public let eventBus = EventBus()
  let layerSizes = LayerSizes()

  init(config: EngineConfig) throws {
    self.config = config
    for dir in [config.dataRoot, config.execRoot, config.execRoot + "/shims", config.runtimeRoot, config.bundlesRoot] {
      try Files.makeDirectories(dir, mode: 0o711)
    }
    images = try ImageStore(root: config.imageRoot)
    containers = try ContainerStore(root: config.containersRoot)
    volumes = try VolumeStore(root: config.dataRoot + "/volumes")
  }
}

/// An area of the engine: the shared context, and the helpers every area uses.
protocol EngineArea: Sendable {
  var context: EngineContext { get }
}

extension EngineArea {
  var config: EngineConfig { context.config }
  var images: ImageStore { context.images }
  var containers: ContainerStore { context.containers }
  var volumes: VolumeStore { context.volumes }
  var eventBus: EventBus { context.eventBus }
  /// The runtime of a container (its record names it).
  func runtime(for record: ContainerRecord) throws -> RuntimeCommand {
    try config.runtimes.command(record.settings.runtime)
  }

  func shimClient(_ id: String) -> ShimClient { ShimClient(stateDir: config.shimState(id)) }

  func record(_ ref: String) throws -> ContainerRecord {
    do { return try containers.get(ref) } catch let e as DaemonError { throw e.engineError }
  }

  /// Publishes an event of any type.
  func emit(_ type: String, _ action: String, id: String, _ attributes: [String: String] = [:]) {
    eventBus.publish(type: type, action: action, id: id, attributes: attributes)
  }

  /// Publishes a container event: attributes are the container's labels, name and image
  /// (as dockerd), plus `extra` (exitCode, signal, …).
  func emit(_ action: String, _ record: ContainerRecord, _ extra: [String: String] = [:]) {
    var attributes = record.settings.labels ?? [:]
    attributes["name"] = record.shortName
    attributes["image"] = record.imageName
    for (k, v) in extra { attributes[k] = v }
    eventBus.publish(type: "container", action: action, id: record.id, attributes: attributes)
  }

  /// A container event by id (looked up; nothing if the container is gone).
  func emit(_ action: String, container id: String, _ extra: [String: String] = [:]) {
    guard let record = try? containers.get(id) else { return }
    emit(action, record, extra)
  }

  /// untag and delete events for an image removal's answer.
  func emitImageRemoval(_ items: [ImageDeleteResponseItem], id: String) {
    for item in items {
      if let name = item.untagged { emit("image", "untag", id: id, ["name": name]) }
      if item.deleted != nil { emit("image", "delete", id: id, ["name": id]) }
    }
  }

  func resolveImage(_ name: String) async throws -> Image {
    let store = images
    do {
      return try await BlockingPool.shared.run { try store.image(name) }
    } catch ImageError.notFound {
      throw EngineError.notFound("No such image: \(name)")
    } catch {
      throw engineError(error)
    }
  }
}
