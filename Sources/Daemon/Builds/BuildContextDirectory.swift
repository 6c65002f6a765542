// A build's context: the tar the client sent, unpacked into a private directory under the
// data root for the time of the build. The unpacking is the layer applier's (no entry
// escapes the directory, whatever its name or the symlinks before it).
import Archive
import Dockerfile
import EngineAPI
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

struct BuildContextDirectory: Sendable {
  let path: String

  static func receive(_ body: ByteStream, under root: String) async throws -> BuildContextDirectory {
    try Files.makeDirectories(root, mode: 0o700)
    let path = root + "/" + String(ContainerStore.newID().prefix(16))
    try Files.makeDirectories(path, mode: 0o700)
    let directory = BuildContextDirectory(path: path)
    do {
      _ = try await ByteStreamBridge.consume(body) { fd in
        var options = LayerApplyOptions()
        options.whiteouts = false
        options.stripLeadingSlash = true
        return try LayerApplier.apply(fd: fd, into: path, options: options)
      }
    } catch let e as ArchiveError {
      directory.remove()
      throw EngineError.badParameter("the build context is not a valid tar archive: \(e.description)")
    } catch {
      directory.remove()
      throw error
    }
    return directory
  }

  func remove() {
    do {
      try Files.removeTree(path)
    } catch {
      DaemonLog.engine.warning("build: could not remove the context \(path): \(error)")
    }
  }

  /// A regular file of the context, read; nil when it does not exist. `name` is relative to
  /// the context root and resolved inside it (symlinks included).
  func readFile(_ name: String) throws -> [UInt8]? {
    let root = try openRoot()
    defer { close(root) }
    let clean = PathClean.clean("/" + name)
    guard let dir = try InRootPath.open(root, Files.parent(of: clean)) else { return nil }
    defer { close(dir) }
    let base = String(clean.split(separator: "/").last ?? "")
    let fd = openat(dir, base, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
    return try FD.readAll(fd)
  }

  func openRoot() throws -> Int32 {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw SystemError("open", errno: errno, path) }
    return fd
  }

  /// Deletes what `.dockerignore` excludes, so no step can copy it (the docker CLI leaves
  /// it out of the tar too; other clients may not). A directory an exception (`!pattern`)
  /// may reach inside is kept and its entries are decided one by one.
  func prune(_ matcher: IgnoreMatcher) throws {
    try prune(matcher, directory: path, relative: "")
  }

  private func prune(_ matcher: IgnoreMatcher, directory: String, relative: String) throws {
    for name in try Files.list(directory) {
      let rel = relative.isEmpty ? name : relative + "/" + name
      let full = directory + "/" + name
      var st = stat()
      guard lstat(full, &st) == 0 else { continue }
      let isDirectory = st.st_mode & S_IFMT == S_IFDIR
      if matcher.matches(path: rel) {
        if isDirectory && !matcher.canSkipDirectory(path: rel) {
          try prune(matcher, directory: full, relative: rel)
        } else {
          try Files.removeTree(full)
        }
      } else if isDirectory {
        try prune(matcher, directory: full, relative: rel)
      }
    }
  }
}
