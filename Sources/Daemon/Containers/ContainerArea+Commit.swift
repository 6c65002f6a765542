// `docker commit` (POST /commit): the container's writable layer becomes a new layer on top
// of its image's; the new image gets the container's config, then the `--change`
// instructions, then the config sent with the request.
import EngineAPI
import Images
import LinuxOS
import OCI

extension ContainerArea {
  public func commitContainer(
    id ref: String, repo: String?, tag: String?, comment: String?, author: String?, changes: [String], pause: Bool,
    config requestConfig: ContainerConfig?
  ) async throws -> IDResponse {
    let id = try record(ref).id
    // The snapshot is a transition: no start, exit or removal changes the layer meanwhile.
    return try await transition(id) {
      try await commitInTurn(
        id, repo: repo, tag: tag, comment: comment, author: author, changes: changes, pause: pause,
        config: requestConfig)
    }
  }

  private func commitInTurn(
    _ ref: String, repo: String?, tag: String?, comment: String?, author: String?, changes: [String], pause: Bool,
    config requestConfig: ContainerConfig?
  ) async throws -> IDResponse {
    try await mapErrors {
      let record = try record(ref)
      var reference: ImageReference?
      if let repo, !repo.isEmpty {
        do {
          var r = try ImageReference(parsing: repo)
          if let tag, !tag.isEmpty { r = r.withTag(tag) }
          guard r.digest == nil else { throw EngineError.badParameter("refusing to create a tag with a digest") }
          reference = r
        } catch let e as EngineError {
          throw e
        } catch {
          throw EngineError.badParameter("invalid reference format: \(repo)\(tag.map { ":" + $0 } ?? "")")
        }
      } else if let tag, !tag.isEmpty {
        throw EngineError.badParameter("tag is not allowed without a repository")
      }
      let parent = try await resolveImage(record.imageID)
      var cfg = Self.commitConfig(record.settings, base: parent.config.config)
      if let c = try ImportChanges.apply(changes) { Self.overlay(&cfg, with: c) }
      if let requestConfig { Self.overlay(&cfg, with: Self.imageConfig(requestConfig)) }
      let (upper, _) = try containerLayerDirectories(record.id)

      var paused = false
      if pause && record.state.status == .running {
        do {
          try await pauseInTurn(record.id)
          paused = true
        } catch {
          // A process that has just exited (its exit not recorded yet) cannot be paused,
          // and needs no pause: dockerd commits it all the same.
          let state = Processes.stateLetter(record.state.pid)
          guard state == nil || state == "Z" else { throw error }
          DaemonLog.engine.debug("commit of \(record.id): not paused, its process has exited")
        }
      }
      let store = images
      let createdBy = ((record.settings.entrypoint ?? []) + (record.settings.cmd ?? [])).joined(separator: " ")
      let finalConfig = cfg
      let finalReference = reference
      let result: Result<Image, any Error>
      do {
        let img = try await BlockingPool.shared.run {
          try store.commit(
            upperDirectory: upper, parent: parent, config: finalConfig,
            comment: comment.flatMap { $0.isEmpty ? nil : $0 },
            author: author.flatMap { $0.isEmpty ? nil : $0 }, createdBy: createdBy, reference: finalReference)
        }
        result = .success(img)
      } catch {
        result = .failure(error)
      }
      if paused {
        do {
          try await unpauseInTurn(record.id)
        } catch {
          DaemonLog.engine.warning("commit of \(record.id): unpause failed: \(error)")
        }
      }
      return IDResponse(id: try result.get().id.description)
    }
  }

  /// The image config a container commits to: its image's, with what the container set.
  static func commitConfig(_ s: ContainerSettings, base: ImageConfig.Config?) -> ImageConfig.Config {
    var c = base ?? ImageConfig.Config()
    c.user = s.user ?? c.user
    c.env = s.env ?? c.env
    c.cmd = s.cmd ?? c.cmd
    c.entrypoint = s.entrypoint ?? c.entrypoint
    c.workingDir = s.workingDir ?? c.workingDir
    c.labels = s.labels ?? c.labels
    c.stopSignal = s.stopSignal ?? c.stopSignal
    if let ports = s.exposedPorts { c.exposedPorts = Dictionary(ports.map { ($0, ImageConfig.Empty()) }) { a, _ in a } }
    if let vols = s.volumes { c.volumes = Dictionary(vols.map { ($0, ImageConfig.Empty()) }) { a, _ in a } }
    c.healthcheck = s.healthcheck ?? c.healthcheck
    c.argsEscaped = s.argsEscaped ?? c.argsEscaped
    c.tty = s.tty ? true : nil
    c.openStdin = s.openStdin ? true : nil
    c.stdinOnce = s.stdinOnce ? true : nil
    c.attachStdin = s.attachStdin ? true : nil
    c.attachStdout = s.attachStdout ? true : nil
    c.attachStderr = s.attachStderr ? true : nil
    c.image = nil
    return c
  }

  /// Sets in `c` every field `over` sets (labels, ports and volumes are merged).
  static func overlay(_ c: inout ImageConfig.Config, with over: ImageConfig.Config) {
    if let v = over.user { c.user = v }
    if let v = over.env {
      var env = c.env ?? []
      for kv in v {
        let key = kv.split(separator: "=", maxSplits: 1).first.map(String.init) ?? kv
        env.removeAll { $0 == key || $0.hasPrefix(key + "=") }
        env.append(kv)
      }
      c.env = env
    }
    if let v = over.cmd { c.cmd = v }
    if let v = over.entrypoint {
      c.entrypoint = v
      if over.cmd == nil { c.cmd = nil }
    }
    if let v = over.workingDir { c.workingDir = v }
    if let v = over.labels { c.labels = (c.labels ?? [:]).merging(v) { _, b in b } }
    if let v = over.stopSignal { c.stopSignal = v }
    if let v = over.exposedPorts { c.exposedPorts = (c.exposedPorts ?? [:]).merging(v) { _, b in b } }
    if let v = over.volumes { c.volumes = (c.volumes ?? [:]).merging(v) { _, b in b } }
    if let v = over.healthcheck { c.healthcheck = v }
    if let v = over.onBuild { c.onBuild = v }
    if let v = over.shell { c.shell = v }
  }

  /// The API's container config as an image config (the fields an image carries).
  static func imageConfig(_ r: ContainerConfig) -> ImageConfig.Config {
    var c = ImageConfig.Config()
    c.user = r.user.flatMap { $0.isEmpty ? nil : $0 }
    c.env = r.env.flatMap { $0.isEmpty ? nil : $0 }
    c.cmd = r.cmd.flatMap { $0.isEmpty ? nil : $0 }
    c.entrypoint = r.entrypoint.flatMap { $0.isEmpty ? nil : $0 }
    c.workingDir = r.workingDir.flatMap { $0.isEmpty ? nil : $0 }
    c.labels = r.labels.flatMap { $0.isEmpty ? nil : $0 }
    c.stopSignal = r.stopSignal.flatMap { $0.isEmpty ? nil : $0 }
    c.exposedPorts = r.exposedPorts.flatMap { $0.isEmpty ? nil : $0.mapValues { _ in ImageConfig.Empty() } }
    c.volumes = r.volumes.flatMap { $0.isEmpty ? nil : $0.mapValues { _ in ImageConfig.Empty() } }
    c.onBuild = r.onBuild.flatMap { $0.isEmpty ? nil : $0 }
    c.shell = r.shell.flatMap { $0.isEmpty ? nil : $0 }
    if let h = r.healthcheck, let test = h.test, !test.isEmpty {
      var hc = ImageConfig.Healthcheck()
      hc.test = test
      hc.interval = h.interval
      hc.timeout = h.timeout
      hc.retries = h.retries
      hc.startPeriod = h.startPeriod
      hc.startInterval = h.startInterval
      c.healthcheck = hc
    }
    return c
  }
}
