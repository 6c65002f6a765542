// `docker cp` (HEAD/GET/PUT /containers/{id}/archive), running or stopped. Paths are
// resolved inside a private view of the container's filesystem (ContainerFSView) with
// descriptors only (InRootPath, TreeArchive, the layer applier's RootedDirectory), so no
// symlink in the container — even one swapped in during the copy — reaches the host's files.
import Archive
import EngineAPI
import LinuxOS
import Snapshots

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ContainerArea {
  public func statContainerPath(id ref: String, path: String) async throws -> ContainerPathStat {
    let plan = try archivePlan(ref, writable: false)
    return try await BlockingPool.shared.run {
      let view = try ContainerFSView.open(plan)
      defer { view.close() }
      let found = try ContainerPath.locate(path, in: view, container: ref)
      defer { close(found.dirFD) }
      return found.stat
    }
  }

  public func archiveContainerPath(id ref: String, path: String) async throws -> ContainerArchive {
    let record = try record(ref)
    let plan = try archivePlan(ref, writable: false)
    let (view, found) = try await BlockingPool.shared.run { () throws -> (ContainerFSView, ContainerPath.Found) in
      let view = try ContainerFSView.open(plan)
      do {
        return (view, try ContainerPath.locate(path, in: view, container: ref))
      } catch {
        view.close()
        throw error
      }
    }
    let tar = try ByteStreamBridge.produce { fd in
      defer {
        close(found.dirFD)
        view.close()
      }
      let tar = try TarWriter(fd: fd)
      try TreeArchive.write(at: found.dirFD, found.name, as: found.stat.name, to: tar)
      try tar.close()
    }
    emit("archive-path", record)
    return ContainerArchive(stat: found.stat, tar: tar)
  }

  public func extractToContainer(
    id ref: String, path: String, options: ContainerExtractOptions, body: ByteStream
  ) async throws {
    let record = try record(ref)
    let plan = try archivePlan(ref, writable: true)
    let view = try await BlockingPool.shared.run { try ContainerFSView.open(plan) }
    defer { view.close() }
    let settings = record.settings
    let (target, applyOptions) = try await BlockingPool.shared.run { () throws -> (Int32, LayerApplyOptions) in
      let target = try ContainerPath.extractionPoint(
        path, in: view, container: ref, readonlyRootfs: settings.readonlyRootfs)
      var o = LayerApplyOptions()
      o.whiteouts = false
      o.noOverwriteDirNonDir = options.noOverwriteDirNonDir
      o.stripLeadingSlash = true
      if options.copyUIDGID {
        do {
          let user = try SpecBuilder.resolveUser(settings.user ?? "", groupAdd: [], rootfs: view.mountPoint)
          o.owner = LayerApplyOptions.Owner(uid: user.uid, gid: user.gid)
        } catch {
          close(target)
          throw error
        }
      }
      return (target, o)
    }
    defer { close(target) }
    let display = ContainerPath.absolute(path)
    do {
      _ = try await ByteStreamBridge.consume(body) { fd in
        try LayerApplier.apply(fd: fd, intoDirectoryFD: target, displayPath: display, options: applyOptions)
      }
    } catch let e as ArchiveError {
      switch e {
      case .unsafePath, .symlinkInPath, .notADirectory, .badHardlink, .overwrite:
        throw EngineError.badParameter(e.description)
      default:
        throw EngineError.internal(e.description)
      }
    }
    emit("extract-to-dir", record)
  }

  /// What to mount for a copy from or to container `ref`.
  func archivePlan(_ ref: String, writable: Bool) throws -> ContainerFSView.Plan {
    let record = try record(ref)
    let id = record.id
    return try ContainerFSView.plan(
      record, bundle: config.bundle(id), execRoot: config.execRoot, writable: writable,
      layers: { try containerLayerDirectories(id) },
      snapshot: {
        do {
          return try images.snapshots.mounts(ContainerArea.snapshotKey(id))
        } catch {
          throw EngineError.notFound("no writable layer for container \(id): \(error)")
        }
      },
      mountsBeforeFirstStart: { try SpecBuilder.mounts(record.settings, context: specContext(record)) })
  }
}
