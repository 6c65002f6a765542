// COPY and ADD (and WORKDIR's directory): the sources are written as a tar into a container
// of the stage's image — created, never started — through the same extraction as
// `docker cp`, and its writable layer is committed as the step's image. The cache key holds
// the sources' digest (CopySources.digest), so a changed file misses and a touched one hits.
import Archive
import Dockerfile
import EngineAPI
import Images
import LinuxOS
import OCI

#if canImport(Glibc)
  import Glibc
#endif

/// A COPY or ADD, substituted.
struct CopyRequest: Sendable {
  var keyword: String
  var sources: [CopySource]
  var destination: String
  var chown: String?
  var chmod: String?
  var excludes: [String]
  var parents: Bool
  /// ADD: local tar archives are unpacked (unless `--unpack=false`).
  var unpacksArchives: Bool

  init(copy: CopyInstruction) {
    keyword = "COPY"
    sources = copy.sources
    destination = copy.destination
    chown = copy.chown
    chmod = copy.chmod
    excludes = copy.excludes
    parents = copy.parents
    unpacksArchives = false
  }

  init(add: AddInstruction) {
    keyword = "ADD"
    sources = add.sources
    destination = add.destination
    chown = add.chown
    chmod = add.chmod
    excludes = add.excludes
    parents = false
    unpacksArchives = add.unpack ?? true
  }
}

/// Where a COPY reads: the build context, or the filesystem of an image (`--from`).
enum CopySourceRoot: Sendable {
  case context(BuildContextDirectory)
  case image(Image)
}

extension BuildRun {
  func copySourceRoot(_ reference: StageGraph.Reference, finished: [Int: StageState]) async throws -> CopySourceRoot {
    switch reference {
    case .stage(let i):
      guard let image = finished[i]?.image else { throw BuildFailure("COPY --from: stage \(i) has no filesystem") }
      return .image(image)
    case .image(let name):
      let store = images
      do {
        return .image(try await BlockingPool.shared.run { try store.image(name) })
      } catch {
        throw BuildFailure("COPY --from=\(name): the image is not present locally")
      }
    case .scratch:
      throw BuildFailure("COPY --from=scratch: scratch has no files")
    }
  }

  func copyStep(_ request: CopyRequest, from root: CopySourceRoot, in state: inout StageState) async throws {
    let keyword = request.keyword
    guard request.excludes.isEmpty else {
      throw BuildFailure("\(keyword) --exclude is not supported by this builder yet")
    }
    guard !request.parents else { throw BuildFailure("\(keyword) --parents is not supported by this builder yet") }
    var paths: [String] = []
    var inline: [InlineSource] = []
    for source in request.sources {
      switch source {
      case .path(let p):
        if p.contains("://") || p.hasPrefix("git@") {
          throw BuildFailure("\(keyword) from a URL or git repository is not supported by this builder yet: \(p)")
        }
        paths.append(p)
      case .heredoc(let doc):
        inline.append(InlineSource(name: doc.name, content: Array(doc.content.utf8)))
      }
    }
    let mode = try request.chmod.map(Self.octalMode)
    let destination = state.absolute(request.destination)
    try await ensureBase(&state)

    let opened = try await openSourceRoot(root)
    do {
      let found = try paths.isEmpty ? [] : CopySources.find(paths, rootFD: opened.fd)
      let multiple = found.count + inline.count > 1 || paths.contains(where: SourcePattern.hasWildcards)
      if multiple && !destination.hasSuffix("/") {
        throw BuildFailure(
          "When using \(keyword) with more than one source file, the destination must be a directory and end with a /")
      }
      let digest = try CopySources.digest(found, inline: inline, rootFD: opened.fd, owner: (0, 0), mode: mode)
      let description =
        "\(keyword) " + (request.chown.map { "--chown=\($0) " } ?? "") + (request.chmod.map { "--chmod=\($0) " } ?? "")
        + (paths + inline.map(\.name)).joined(separator: " ") + " " + destination
      try await cached(&state, description: description, extra: ["sources=" + digest]) { s in
        try await withStepContainer(s, description: description) { id in
          try await copy(
            found, inline: inline, rootFD: opened.fd, request: request, destination: destination,
            multiple: multiple, into: id)
          return true
        } commit: { upper in
          try images.commit(
            upperDirectory: upper, parent: s.image, config: s.config, author: s.author, createdBy: description,
            intermediate: true)
        }
      }
      await opened.close()
    } catch {
      await opened.close()
      throw error
    }
  }

  /// WORKDIR: the directory is made (owned by the stage's USER) when the image lacks it;
  /// else the step changes the config alone.
  func workdirStep(in state: inout StageState, description: String) async throws {
    try await ensureBase(&state)
    let path = state.workingDirectory
    try await cached(&state, description: description) { s in
      try await withStepContainer(s, description: description) { id in
        let containers = area.containerArea
        if (try? await containers.statContainerPath(id: id, path: path)) != nil { return false }
        let owner = try await resolveOwner(s.config.user, in: id)
        let tar = try ByteStreamBridge.produce { fd in
          let tar = try TarWriter(fd: fd)
          try tar.addDirectory(
            String(path.dropFirst()),
            metadata: TarWriter.Metadata(
              mode: 0o755, uid: Int64(owner.uid), gid: Int64(owner.gid), mtime: Timestamps.nowSpec()))
          try tar.close()
        }
        try await containers.extractToContainer(id: id, path: "/", options: ContainerExtractOptions(), body: tar)
        return true
      } commit: { upper in
        try images.commit(
          upperDirectory: upper, parent: s.image, config: s.config, author: s.author, createdBy: description,
          intermediate: true)
      }
    }
  }

  /// Runs `body` on a new container of the stage's image (never started), then commits its
  /// writable layer with `commit` and removes it. A body that changed nothing (false) makes
  /// a config-only image instead.
  private func withStepContainer(
    _ s: StageState, description: String, _ body: (String) async throws -> Bool,
    commit: @escaping @Sendable (String) throws -> Image
  ) async throws -> Image {
    guard let parent = s.image else { throw BuildFailure("a filesystem step needs a base image") }
    let containers = area.containerArea
    let id = try await createStepContainer(of: parent)
    do {
      let changed = try await body(id)
      let store = images
      let upper = try await containers.containerLayerDirectories(id).upper
      let image = try await BlockingPool.shared.run {
        guard changed else {
          return try store.storeImage(
            config: Self.nextConfig(s, store: store, history: description, emptyLayer: true),
            layers: s.image?.manifest.layers ?? [], reference: nil, intermediate: true)
        }
        return try commit(upper)
      }
      await removeStepContainer(id)
      return image
    } catch {
      await removeStepContainer(id)
      throw error
    }
  }

  private func copy(
    _ found: [FoundSource], inline: [InlineSource], rootFD: Int32, request: CopyRequest, destination: String,
    multiple: Bool, into id: String
  ) async throws {
    let containers = area.containerArea
    let owner = try await resolveOwner(request.chown, in: id)
    let mode = try request.chmod.map(Self.octalMode)
    let existing = try? await containers.statContainerPath(id: id, path: destination)
    var plain = found
    var archives: [FoundSource] = []
    if request.unpacksArchives {
      plain = []
      for f in found {
        if !f.isDirectory, try Self.isTarArchive(f, rootFD: rootFD) { archives.append(f) } else { plain.append(f) }
      }
    }
    let files = plain
    // An archive unpacks into a directory, as several sources go into one.
    let intoDirectory = destination.hasSuffix("/") || multiple || !archives.isEmpty || (existing?.isDirectory ?? false)
    let tar = try ByteStreamBridge.produce { fd in
      let tar = try TarWriter(fd: fd)
      try CopySources.write(
        files, inline: inline, rootFD: rootFD, destination: destination, intoDirectory: intoDirectory,
        createDestination: existing == nil, owner: owner, mode: mode, keepTimes: true, to: tar)
      try tar.close()
    }
    try await containers.extractToContainer(id: id, path: "/", options: ContainerExtractOptions(), body: tar)
    for archive in archives {
      let body = try ByteStreamBridge.produce { fd in
        guard let dirFD = try InRootPath.open(rootFD, archive.directory) else {
          throw CopySources.notFound(archive.name)
        }
        defer { close(dirFD) }
        let file = openat(dirFD, archive.name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { throw SystemError("open", errno: errno, archive.name) }
        defer { close(file) }
        while true {
          let chunk = try FD.read(file, max: 1 << 20)
          if chunk.isEmpty { break }
          try FD.write(fd, chunk)
        }
      }
      try await containers.extractToContainer(id: id, path: destination, options: ContainerExtractOptions(), body: body)
    }
  }

  /// `--chown`: numeric ids as given, names looked up in the stage's /etc/passwd and
  /// /etc/group; root when not given.
  private func resolveOwner(_ chown: String?, in id: String) async throws -> (uid: UInt32, gid: UInt32) {
    guard let chown, !chown.isEmpty else { return (0, 0) }
    let parts = chown.split(separator: ":", maxSplits: 1).map(String.init)
    if let uid = UInt32(parts[0]) {
      if parts.count == 1 { return (uid, uid) }
      if let gid = UInt32(parts[1]) { return (uid, gid) }
    }
    do {
      let resolved = try await area.containerArea.resolveUser(chown, inContainer: id)
      // `--chown=user` without a group: the group named like the user's id (dockerd's rule).
      return parts.count == 1 && UInt32(parts[0]) == nil ? (resolved.uid, resolved.gid) : resolved
    } catch {
      throw BuildFailure("unable to convert uid/gid chown string to host mapping: \(error)")
    }
  }

  /// `--chmod`: octal only here (BuildKit's symbolic modes are not supported yet).
  static func octalMode(_ text: String) throws -> UInt32 {
    guard let mode = UInt32(text, radix: 8), mode <= 0o7777 else {
      throw BuildFailure("invalid --chmod=\(text): only octal modes (e.g. 0755) are supported")
    }
    return mode
  }

  /// ADD unpacks tar archives (plain or compressed), found by their first bytes.
  static func isTarArchive(_ source: FoundSource, rootFD: Int32) throws -> Bool {
    guard let dirFD = try InRootPath.open(rootFD, source.directory) else { return false }
    defer { close(dirFD) }
    let fd = openat(dirFD, source.name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let head = try FD.read(fd, max: 512)
    if head.starts(with: [0x1f, 0x8b]) || head.starts(with: Array("BZh".utf8))
      || head.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) || head.starts(with: [0x28, 0xb5, 0x2f, 0xfd])
    {
      return true
    }
    return head.count >= 262 && Array(head[257..<262]) == Array("ustar".utf8)
  }

  // MARK: the source root

  struct OpenedRoot: Sendable {
    let fd: Int32
    let view: ContainerFSView?
    let container: String?
    let cleanup: @Sendable (String) async -> Void

    func close() async {
      _ = Glibc.close(fd)
      view?.close()
      if let container { await cleanup(container) }
    }
  }

  private func openSourceRoot(_ root: CopySourceRoot) async throws -> OpenedRoot {
    switch root {
    case .context(let directory):
      return OpenedRoot(fd: try directory.openRoot(), view: nil, container: nil, cleanup: { _ in })
    case .image(let image):
      let containers = area.containerArea
      let id = try await createStepContainer(of: image)
      let run = self
      do {
        let view = try await containers.openFilesystemView(id)
        let fd = open(view.mountPoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
          view.close()
          throw SystemError("open", errno: errno, view.mountPoint)
        }
        return OpenedRoot(fd: fd, view: view, container: id, cleanup: { await run.removeStepContainer($0) })
      } catch {
        await removeStepContainer(id)
        throw error
      }
    }
  }

  /// A container of `image` for its filesystem alone: created, never started.
  func createStepContainer(of image: Image) async throws -> String {
    var config = ContainerConfig()
    config.image = image.id.description
    config.cmd = ["/nonexistent-step-container"]
    config.entrypoint = []
    var host = HostConfig()
    host.networkMode = "none"
    return try await area.containerArea.createContainer(
      name: nil, request: ContainerCreateRequest(config: config, hostConfig: host)
    ).id
  }

  /// Removes a container a step made for its filesystem alone.
  func removeStepContainer(_ id: String) async {
    do {
      try await area.containerArea.removeContainer(id: id, options: ContainerRemoveOptions(force: true))
    } catch {
      DaemonLog.engine.warning("build: could not remove the step container \(id): \(error)")
    }
  }
}
