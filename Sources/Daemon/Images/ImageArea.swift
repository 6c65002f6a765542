// Image endpoints: list, inspect, history, tag, remove, load, import, save.
import EngineAPI
import Images
import OCI

/// The image area: the local images, their tags and layers.
public struct ImageArea: ImageBackend, EngineArea {
  public let context: EngineContext
}

extension ImageArea {
  // MARK: list / inspect / history

  public func listImages(options: ImageListOptions) async throws -> [ImageSummary] {
    let store = images
    let users = imageUsers()
    let f = options.filters.fields
    let sizes = context.layerSizes
    let (groups, unpacked) = try await BlockingPool.shared.run { () -> ([ImageGroup], [String: Int64]) in
      let groups = ImageArea.imageGroups(store)
      let unpacked = Dictionary(
        groups.map { ($0.image.id.description, sizes.unpackedSize($0.image, store: store)) }, uniquingKeysWith: max)
      return (groups, unpacked)
    }
    var out: [ImageSummary] = []
    for g in groups {
      let tags = g.records.compactMap(\.reference).filter { $0.tag != nil }.map(\.familiarString).sorted()
      // A build step's image: `docker images -a` only (`builder prune` removes them).
      if g.records.allSatisfy({ $0.intermediate == true }) && (!options.all || f["dangling"] != nil) { continue }
      if let dangling = f["dangling"]?.first {
        let want = dangling == "true" || dangling == "1"
        if want != tags.isEmpty { continue }
      } else if !options.all && tags.isEmpty && g.records.contains(where: { !$0.isDangling }) {
        continue
      }
      if let refs = f["reference"],
        !refs.contains(where: { pattern in tags.contains { Self.matchReference(pattern, $0) } })
      {
        continue
      }
      let labels = g.image.config.config?.labels ?? [:]
      if let wanted = f["label"], !wanted.allSatisfy({ Self.labelMatches($0, labels) }) { continue }
      let size = unpacked[g.image.id.description] ?? 0
      out.append(
        ImageSummary(
          id: g.image.id.description, parentId: "", repoTags: tags, repoDigests: Self.repoDigests(g),
          created: Int64(g.image.config.created.flatMap { Timestamps.parse($0) } ?? 0), size: size,
          sharedSize: -1, virtualSize: nil, labels: labels, containers: users[g.image.id.description]?.count ?? 0))
    }
    return out.sorted { $0.created > $1.created }
  }

  public func inspectImage(name: String) async throws -> ImageInspect {
    let img = try await resolveImage(name)
    let store = images
    let records = try await BlockingPool.shared.run {
      store.list().filter { (try? store.resolve($0))?.id == img.id }
    }
    let g = ImageGroup(image: img, records: records)
    let c = img.config
    return ImageInspect(
      id: img.id.description,
      repoTags: records.compactMap(\.reference).filter { $0.tag != nil }.map(\.familiarString).sorted(),
      repoDigests: Self.repoDigests(g), parent: "", comment: c.history?.last?.comment ?? c.comment ?? "",
      created: c.created ?? "", dockerVersion: c.dockerVersion ?? "", author: c.author ?? "",
      config: Self.apiConfig(c.config), architecture: c.architecture, variant: c.variant, os: c.os,
      osVersion: c.osVersion, size: await unpackedSize(img), graphDriver: DriverData(name: "overlay2", data: [:]),
      rootFS: ImageRootFS(type: "layers", layers: c.rootfs.diffIDs.map(\.description)),
      metadata: ImageMetadata(lastTagTime: records.map(\.updated).max()))
  }

  public func imageHistory(name: String) async throws -> [ImageHistoryItem] {
    let img = try await resolveImage(name)
    let store = images
    let tags = try await BlockingPool.shared.run {
      store.list().filter { (try? store.resolve($0))?.id == img.id }.compactMap(\.reference)
        .filter { $0.tag != nil }.map(\.familiarString).sorted()
    }
    var layers = img.manifest.layers.makeIterator()
    var items: [ImageHistoryItem] = []
    let history =
      img.config.history
      ?? img.config.rootfs.diffIDs.map { _ in ImageConfig.History(created: img.config.created) }
    for h in history {
      let size = h.emptyLayer == true ? 0 : (layers.next()?.size ?? 0)
      items.append(
        ImageHistoryItem(
          id: "<missing>", created: Int64(h.created.flatMap { Timestamps.parse($0) } ?? 0),
          createdBy: h.createdBy ?? "", tags: nil, size: size, comment: h.comment ?? ""))
    }
    items.reverse()
    if !items.isEmpty {
      items[0].id = img.id.description
      items[0].tags = tags
    }
    return items
  }

  // MARK: tag / remove

  public func tagImage(name: String, repo: String, tag: String?) async throws {
    try await mapErrors {
      let target: ImageReference
      do {
        target = try ImageReference(parsing: tag.map { repo + ":" + $0 } ?? repo)
      } catch {
        throw EngineError.badParameter("invalid reference format: \(repo)\(tag.map { ":" + $0 } ?? "")")
      }
      guard target.digest == nil else { throw EngineError.badParameter("refusing to create a tag with a digest") }
      let img = try await resolveImage(name)
      let store = images
      let id = img.id.description
      try await BlockingPool.shared.run { try store.tag(id, as: target) }
      emit("image", "tag", id: id, ["name": target.familiarString])
    }
  }

  public func removeImage(name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem] {
    try await mapErrors {
      let img = try await resolveImage(name)
      let store = images
      let all = try await BlockingPool.shared.run { store.list().filter { (try? store.resolve($0))?.id == img.id } }
      let named = (try? ImageReference(parsing: name)).flatMap { ref in all.first { $0.name == ref.description } }
      let users = containers.all().filter { $0.imageID == img.id.description }
      let short = img.id.shortHex
      let lastName = named == nil || all.count == 1
      if lastName, let user = users.first {
        if named == nil, user.state.isRunning {
          throw EngineError.conflict(
            "conflict: unable to delete \(short) (cannot be forced) - image is being used by running container \(user.id.prefix(12))"
          )
        }
        if !force {
          if let named {
            throw EngineError.conflict(
              "conflict: unable to remove repository reference \"\(named.reference?.familiarString ?? name)\" (must force) - container \(user.id.prefix(12)) is using its referenced image \(short)"
            )
          }
          throw EngineError.conflict(
            "conflict: unable to delete \(short) (must be forced) - image is being used by stopped container \(user.id.prefix(12))"
          )
        }
      }
      if named == nil && all.filter({ !$0.isDangling }).count > 1 && !force {
        throw EngineError.conflict(
          "conflict: unable to delete \(short) (must be forced) - image is referenced in multiple repositories")
      }
      let key = named?.name ?? img.id.description
      let removed = try await BlockingPool.shared.run { try store.remove(key, force: true) }
      var out: [ImageDeleteResponseItem] = removed.compactMap(\.reference).map {
        ImageDeleteResponseItem(untagged: $0.familiarString)
      }
      let left = try await BlockingPool.shared.run { store.list().contains { (try? store.resolve($0))?.id == img.id } }
      if !left {
        out.append(ImageDeleteResponseItem(deleted: img.id.description))
      }
      emitImageRemoval(out, id: img.id.description)
      return out
    }
  }

  public func pruneImages(filters: Filters) async throws -> ImagePruneResponse {
    try await mapErrors {
      let store = images
      let used = Set(containers.all().map(\.imageID))
      let danglingOnly = filters.fields["dangling"]?.first.map { $0 == "true" || $0 == "1" } ?? true
      let groups = try await BlockingPool.shared.run { ImageArea.imageGroups(store) }
      var deleted: [ImageDeleteResponseItem] = []
      var reclaimed: Int64 = 0
      for g in groups where !used.contains(g.image.id.description) {
        let tagged = g.records.contains { !$0.isDangling }
        if danglingOnly && tagged { continue }
        // The build cache: `builder prune` is its prune.
        if g.records.allSatisfy({ $0.intermediate == true }) { continue }
        let id = g.image.id.description
        let size = await unpackedSize(g.image)
        let removed = try await BlockingPool.shared.run { try store.remove(id, force: true) }
        deleted += removed.compactMap(\.reference).map { ImageDeleteResponseItem(untagged: $0.familiarString) }
        deleted.append(ImageDeleteResponseItem(deleted: id))
        emitImageRemoval(
          removed.compactMap(\.reference).map { ImageDeleteResponseItem(untagged: $0.familiarString) } + [
            ImageDeleteResponseItem(deleted: id)
          ], id: id)
        reclaimed += size
      }
      return ImagePruneResponse(imagesDeleted: deleted.nilIfEmpty, spaceReclaimed: reclaimed)
    }
  }

  // MARK: load / import / save / pull

  public func loadImages(body: ByteStream, quiet: Bool) async throws -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    let store = images
    let loaded: [ImageRecord]
    do {
      loaded = try await ByteStreamBridge.consume(body) { fd in try store.load(fd: fd) }
    } catch {
      // As dockerd: the answer is a 200 whose JSON stream carries the error (the docker
      // SDK raises ImageLoadError from it).
      let failure = engineError(error)
      return AsyncThrowingStream { $0.finish(throwing: failure) }
    }
    var messages: [ProgressMessage] = []
    for r in loaded {
      if let img = try? store.resolve(r) {
        emit("image", "load", id: img.id.description, ["name": r.reference?.familiarString ?? img.id.description])
      }
      if let ref = r.reference {
        messages.append(ProgressMessage(stream: "Loaded image: \(ref.familiarString)\n"))
      } else if let img = try? store.resolve(r) {
        messages.append(ProgressMessage(stream: "Loaded image ID: \(img.id.description)\n"))
      }
    }
    return Self.progress(messages)
  }

  public func importImage(body: ByteStream, options: ImageImportOptions) async throws
    -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    guard options.source == "-" else {
      throw EngineError.notImplemented(
        "importing from a URL is not supported yet: download it and use `docker import FILE` or `-`")
    }
    var reference: ImageReference?
    if let repo = options.repo {
      do {
        var r = try ImageReference(parsing: repo)
        if let tag = options.tag { r = r.withTag(tag) }
        reference = r
      } catch {
        throw EngineError.badParameter("invalid reference format: \(repo)")
      }
    }
    let changes = try ImportChanges.apply(options.changes)
    let store = images
    let message = options.message
    let ref = reference
    let image: Image
    do {
      image = try await ByteStreamBridge.consume(body) { fd in
        try store.importImage(fd: fd, reference: ref, config: changes, message: message)
      }
    } catch {
      throw engineError(error)
    }
    emit("image", "import", id: image.id.description, ["name": ref?.familiarString ?? ""])
    return Self.progress([ProgressMessage(status: image.id.description)])
  }

  public func exportImages(names: [String]) async throws -> ByteStream {
    guard !names.isEmpty else { throw EngineError.badParameter("no images given to save") }
    for n in names { _ = try await resolveImage(n) }
    let store = images
    return try ByteStreamBridge.produce { fd in try store.save(names, to: fd) }
  }

  // MARK: helpers

  struct ImageGroup: Sendable {
    var image: Image
    var records: [ImageRecord]
  }

  /// Names grouped by image ID, in the store's order.
  static func imageGroups(_ store: ImageStore) -> [ImageGroup] {
    var order: [Digest] = []
    var groups: [Digest: ImageGroup] = [:]
    for r in store.list() {
      guard let img = try? store.resolve(r) else { continue }
      if groups[img.id] == nil {
        order.append(img.id)
        groups[img.id] = ImageGroup(image: img, records: [])
      }
      groups[img.id]?.records.append(r)
    }
    return order.compactMap { groups[$0] }
  }

  static func repoDigests(_ g: ImageGroup) -> [String] {
    Array(
      Set(
        g.records.compactMap(\.reference).map {
          $0.repository.familiarString + "@" + g.records[0].target.digest.description
        })
    ).sorted()
  }

  /// Compressed layer bytes, as the containerd image store reports.
  func unpackedSize(_ img: Image) async -> Int64 {
    let (sizes, store) = (context.layerSizes, images)
    return await BlockingPool.shared.run { sizes.unpackedSize(img, store: store) }
  }

  /// Image ID → container ids using it.
  func imageUsers() -> [String: [String]] {
    var users: [String: [String]] = [:]
    for c in containers.all() { users[c.imageID, default: []].append(c.id) }
    return users
  }

  static func matchReference(_ pattern: String, _ familiar: String) -> Bool {
    if pattern == familiar { return true }
    let repo = familiar.split(separator: ":").dropLast().joined(separator: ":")
    if pattern == repo { return true }
    return Glob.matches(pattern, familiar) || Glob.matches(pattern, repo)
  }

  static func labelMatches(_ filter: String, _ labels: [String: String]) -> Bool {
    let kv = filter.split(separator: "=", maxSplits: 1).map(String.init)
    guard let k = kv.first, let v = labels[k] else { return false }
    return kv.count == 1 || v == kv[1]
  }

  static func apiConfig(_ c: ImageConfig.Config?) -> ContainerConfig {
    var out = ContainerConfig()
    guard let c else { return out }
    out.user = c.user ?? ""
    out.env = c.env
    out.cmd = c.cmd
    out.entrypoint = c.entrypoint
    out.workingDir = c.workingDir ?? ""
    out.labels = c.labels
    out.stopSignal = c.stopSignal
    out.exposedPorts = c.exposedPorts.map { $0.mapValues { _ in EmptyObject() } }
    out.volumes = c.volumes.map { $0.mapValues { _ in EmptyObject() } }
    out.argsEscaped = c.argsEscaped
    out.onBuild = c.onBuild
    out.shell = c.shell
    if let h = c.healthcheck {
      out.healthcheck = HealthConfig(
        test: h.test, interval: h.interval, timeout: h.timeout, retries: h.retries, startPeriod: h.startPeriod,
        startInterval: h.startInterval)
    }
    return out
  }

  static func progress(_ messages: [ProgressMessage]) -> AsyncThrowingStream<ProgressMessage, any Error> {
    AsyncThrowingStream { c in
      for m in messages { c.yield(m) }
      c.finish()
    }
  }
}

/// Shell-style patterns (`*`, `?`) for reference filters.
enum Glob {
  static func matches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.unicodeScalars)
    let t = Array(text.unicodeScalars)
    var memo: [Int: Bool] = [:]
    func go(_ i: Int, _ j: Int) -> Bool {
      let key = i * (t.count + 1) + j
      if let m = memo[key] { return m }
      let r: Bool
      if i == p.count {
        r = j == t.count
      } else if p[i] == "*" {
        r = go(i + 1, j) || (j < t.count && t[j] != "/" && go(i, j + 1))
      } else if j < t.count && (p[i] == "?" || p[i] == t[j]) {
        r = go(i + 1, j + 1)
      } else {
        r = false
      }
      memo[key] = r
      return r
    }
    return go(0, 0)
  }
}
