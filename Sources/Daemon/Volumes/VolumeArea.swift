// Volumes (local driver): the /volumes endpoints, the volumes a container uses (created at
// container create, copied up from the image at start), and `rm -v`.
import EngineAPI
import LinuxOS

/// The volume area: local-driver volumes, named and anonymous.
public struct VolumeArea: VolumeBackend, EngineArea {
  public let context: EngineContext
}

extension VolumeArea {
  // MARK: endpoints

  public func listVolumes(filters: Filters) async throws -> VolumeListResponse {
    try await mapErrors {
      try filters.validate(allowed: ["dangling", "name", "label", "driver"])
      let used = usedVolumes()
      var out: [Volume] = []
      for r in volumes.all() {
        if filters.contains("dangling") {
          let want = filters.values("dangling").first ?? "true"
          guard ["true", "1", "false", "0"].contains(want.lowercased()) else {
            throw DaemonError.invalid("invalid filter 'dangling=\(want)'")
          }
          let dangling = used[r.name] == nil
          if dangling != (want.lowercased() == "true" || want == "1") { continue }
        }
        let names = filters.values("name")
        if !names.isEmpty, !names.contains(where: { r.name.contains($0) }) { continue }
        if !filters.match("driver", "local") { continue }
        if !filters.matchLabels(r.labels) { continue }
        out.append(apiVolume(r))
      }
      return VolumeListResponse(volumes: out, warnings: [])
    }
  }

  public func createVolume(request: VolumeCreateRequest) async throws -> Volume {
    try await mapErrors {
      if let d = request.driver, !d.isEmpty, d != "local" {
        throw DaemonError.notFound("error looking up volume plugin \(d): plugin \"\(d)\" not found")
      }
      let (record, created) = try volumes.create(
        name: request.name, labels: request.labels ?? [:], options: request.driverOpts ?? [:])
      if created { emit("volume", "create", id: record.name, ["driver": "local"]) }
      return apiVolume(record)
    }
  }

  public func inspectVolume(name: String) async throws -> Volume {
    try await mapErrors { apiVolume(try volumes.get(name)) }
  }

  public func removeVolume(name: String, force: Bool) async throws {
    try await mapErrors {
      guard (try? volumes.get(name)) != nil else {
        if force { return }
        throw DaemonError.notFound("get \(name): no such volume")
      }
      if let users = usedVolumes()[name], !users.isEmpty {
        throw DaemonError.conflict("remove \(name): volume is in use - [\(users.sorted().joined(separator: ", "))]")
      }
      try await destroyVolume(name)
    }
  }

  public func pruneVolumes(filters: Filters) async throws -> VolumePruneResponse {
    try await mapErrors {
      try filters.validate(allowed: ["label", "label!", "all"])
      let all = filters.values("all").contains { ["1", "true"].contains($0.lowercased()) }
      let used = usedVolumes()
      var deleted: [String] = []
      var space: Int64 = 0
      for r in volumes.all() where used[r.name] == nil {
        // As dockerd since API 1.42: only anonymous volumes unless all=true.
        if !all && r.labels[VolumeStore.anonymousLabel] == nil { continue }
        if !filters.matchLabels(r.labels) { continue }
        if !filters.passesNegatedLabels(r.labels) { continue }
        let size = volumes.size(r.name)
        if (try? await destroyVolume(r.name)) != nil {
          deleted.append(r.name)
          space += size
        }
      }
      return VolumePruneResponse(volumesDeleted: deleted, spaceReclaimed: space)
    }
  }

  // MARK: helpers

  func apiVolume(_ r: VolumeRecord) -> Volume {
    Volume(
      name: r.name, driver: "local", mountpoint: volumes.dataPath(r.name), createdAt: r.createdAt, labels: r.labels,
      scope: "local", options: r.options)
  }

  func destroyVolume(_ name: String) async throws {
    let store = volumes
    try await BlockingPool.shared.run { try store.remove(name) }
    emit("volume", "destroy", id: name, ["driver": "local"])
  }

  /// Volume name → ids of the containers using it.
  func usedVolumes() -> [String: [String]] {
    var out: [String: [String]] = [:]
    for c in containers.all() {
      for name in Self.namedVolumes(c.settings) { out[name, default: []].append(c.id) }
      for v in volumes.anonymousVolumes(of: c.id) { out[v.name, default: []].append(c.id) }
    }
    return out
  }

  /// The named volumes of binds and --mount.
  static func namedVolumes(_ s: ContainerSettings) -> [String] {
    var out: [String] = []
    for b in s.binds ?? [] {
      if let spec = try? BindSpec(parsing: b), case .namedVolume(let name) = spec.source { out.append(name) }
    }
    for m in s.mounts ?? [] where m.type == "volume" {
      if let name = m.source, !name.isEmpty { out.append(name) }
    }
    return out
  }

  /// Container paths that get an anonymous volume: `-v /path`, `--mount type=volume`
  /// without a source, and the image's VOLUMEs not covered by another mount.
  static func anonymousDestinations(_ s: ContainerSettings) -> [String] {
    var out: [String] = []
    var covered = Set<String>()
    for b in s.binds ?? [] {
      guard let spec = try? BindSpec(parsing: b) else { continue }
      covered.insert(spec.destination)
      if spec.source == .anonymous { out.append(spec.destination) }
    }
    for m in s.mounts ?? [] {
      let target = SpecBuilder.cleanPath(m.target)
      covered.insert(target)
      if m.type == "volume", (m.source ?? "").isEmpty { out.append(target) }
    }
    for path in (s.tmpfs ?? [:]).keys { covered.insert(SpecBuilder.cleanPath(path)) }
    for path in s.volumes ?? [] {
      let p = SpecBuilder.cleanPath(path)
      if p != "/", !covered.contains(p), !out.contains(p) { out.append(p) }
    }
    return out
  }

  /// At container create: makes the named volumes that do not exist yet and the
  /// container's anonymous volumes.
  static func prepareVolumes(_ store: VolumeStore, bus: EventBus, id: String, settings: ContainerSettings) throws {
    for name in namedVolumes(settings) {
      if try store.create(name: name).created {
        bus.publish(type: "volume", action: "create", id: name, attributes: ["driver": "local"])
      }
    }
    for dest in anonymousDestinations(settings) where store.anonymous(of: id, at: dest) == nil {
      let r = try store.create(name: nil, owner: id, destination: dest).record
      bus.publish(type: "volume", action: "create", id: r.name, attributes: ["driver": "local"])
    }
  }

  /// Resolves the container's volumes in its spec (creating any that went missing).
  func configureVolumes(_ ctx: inout SpecContext) {
    let store = volumes
    let bus = eventBus
    let id = ctx.id
    ctx.volumePath = { name in
      let (r, created) = try store.create(name: name)
      if created { bus.publish(type: "volume", action: "create", id: name, attributes: ["driver": "local"]) }
      return store.dataPath(r.name)
    }
    ctx.anonymousVolumePath = { dest in
      let r = try store.anonymous(of: id, at: dest) ?? store.create(name: nil, owner: id, destination: dest).record
      return store.dataPath(r.name)
    }
  }

  /// `docker rm -v` (and --rm): the container's anonymous volumes go with it.
  func removeAnonymousVolumes(of id: String, when remove: Bool) async {
    guard remove else { return }
    let used = usedVolumes()
    for v in volumes.anonymousVolumes(of: id) where used[v.name] == nil {
      try? await destroyVolume(v.name)
    }
  }
}

extension VolumeArea {
  /// `docker system df`: every volume with its size and how many containers use it.
  func volumeUsage() async throws -> [Volume] {
    let used = usedVolumes()
    let store = volumes
    var out: [Volume] = []
    for r in store.all() {
      var v = apiVolume(r)
      let size = try await BlockingPool.shared.run { store.size(r.name) }
      v.usageData = VolumeUsageData(size: size, refCount: Int64(used[r.name]?.count ?? 0))
      out.append(v)
    }
    return out
  }
}
