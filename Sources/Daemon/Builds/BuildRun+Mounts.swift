// RUN --mount: what a RUN's container gets besides its image. A cache mount is a directory
// under the data root that outlives builds (keyed by its id, or its target); a tmpfs is a
// tmpfs; a bind shows a part of the build context, read-only. Secrets and ssh are not
// supported yet.
import ContentStore
import Dockerfile
import EngineAPI
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

extension BuildRun {
  /// The mounts of a RUN, and what of them belongs in its cache key (a bind's sources).
  func runMounts(_ specs: [MountSpec], state: StageState) throws -> (mounts: [Mount], key: [String]) {
    var mounts: [Mount] = []
    var key: [String] = []
    for spec in specs {
      let m: RunMount
      do {
        m = try spec.resolved(env: state.substitutionEnvironment)
      } catch {
        throw BuildFailure("RUN --mount=\(spec.raw): \(error)")
      }
      if m.type == .secret || m.type == .ssh {
        throw BuildFailure("RUN --mount=type=\(m.type.rawValue) is not supported by this builder yet")
      }
      guard let rawTarget = m.target, !rawTarget.isEmpty else {
        throw BuildFailure("RUN --mount=\(spec.raw): a target is required")
      }
      let target = state.absolute(rawTarget)
      switch m.type {
      case .cache:
        guard m.from == nil else { throw BuildFailure("RUN --mount=type=cache,from= is not supported yet") }
        let dir = try cacheMountDirectory(id: m.id ?? target, mode: m.mode ?? 0o755, uid: m.uid ?? 0, gid: m.gid ?? 0)
        mounts.append(Mount(target: target, source: dir, type: "bind", readOnly: m.readOnly))
        key.append("cache:\(m.id ?? target)->\(target)")
      case .tmpfs:
        mounts.append(
          Mount(target: target, type: "tmpfs", tmpfsOptions: TmpfsOptions(sizeBytes: m.size)))
        key.append("tmpfs:\(target):\(m.size ?? 0)")
      case .bind:
        guard m.from == nil else { throw BuildFailure("RUN --mount=type=bind,from= is not supported yet") }
        guard m.readOnly else { throw BuildFailure("RUN --mount=type=bind,rw is not supported yet") }
        let (path, digest) = try contextBindSource(m.source ?? "/")
        mounts.append(Mount(target: target, source: path, type: "bind", readOnly: true))
        key.append("bind:\(m.source ?? "/")->\(target):\(digest)")
      case .secret, .ssh:
        continue  // refused above
      }
    }
    return (mounts, key)
  }

  /// A cache mount's directory: made on first use with the mount's mode and owner, kept
  /// across builds and restarts until `builder prune`.
  private func cacheMountDirectory(id: String, mode: UInt32, uid: UInt32, gid: UInt32) throws -> String {
    let hasher = SHA256Hasher()
    hasher.update(Array(id.utf8))
    let dir = area.cacheMountsRoot + "/" + hasher.finalize().encoded
    if !Files.isDirectory(dir) {
      try Files.makeDirectories(Files.parent(of: dir), mode: 0o700)
      guard mkdir(dir, mode_t(mode)) == 0 || errno == EEXIST else { throw SystemError("mkdir", errno: errno, dir) }
      guard chown(dir, uid, gid) == 0, chmod(dir, mode_t(mode)) == 0 else {
        throw SystemError("chown", errno: errno, dir)
      }
    }
    return dir
  }

  /// A bind mount's source in the context: resolved inside it (a symlink in the context
  /// cannot point the mount at the host's files), and its digest.
  private func contextBindSource(_ source: String) throws -> (String, String) {
    let root = try contextDirectory.openRoot()
    defer { close(root) }
    let clean = PathClean.clean("/" + source)
    guard let fd = try InRootPath.open(root, clean) else {
      throw BuildFailure("RUN --mount=type=bind: \(source) is not a directory of the build context")
    }
    defer { close(fd) }
    // The directory the resolution reached, as a path the runtime can mount.
    let path = try Files.readLink("/proc/self/fd/\(fd)")
    guard path == contextDirectory.path || path.hasPrefix(contextDirectory.path + "/") else {
      throw BuildFailure("RUN --mount=type=bind: \(source) is outside the build context")
    }
    let found = try CopySources.find([clean], rootFD: root)
    return (path, try CopySources.digest(found, inline: [], rootFD: root, owner: (0, 0), mode: nil))
  }

}
