// The sources of a COPY or ADD, found below a root (the build context, or another stage's
// filesystem) with descriptors only: every path is resolved inside the root (InRootPath),
// so no symlink in the context or the image reaches the host's files.
import Archive
import ContentStore
import Dockerfile
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

/// One source found: `name` in the directory `directory` (relative to the root).
struct FoundSource: Sendable, Equatable {
  var directory: String
  var name: String
  var isDirectory: Bool
}

/// A heredoc source (`COPY <<EOF /dest`): a file made from the Dockerfile's text.
struct InlineSource: Sendable, Equatable {
  var name: String
  var content: [UInt8]
}

enum CopySources {
  /// The paths `patterns` name below `rootFD`. A path without wildcards must exist; one
  /// with wildcards may match several (or, alone, none: an error, as in dockerd).
  static func find(_ patterns: [String], rootFD: Int32) throws -> [FoundSource] {
    var found: [FoundSource] = []
    for pattern in patterns {
      let clean = PathClean.clean("/" + pattern)
      if SourcePattern.hasWildcards(pattern) {
        guard let compiled = SourcePattern(clean) else { throw BuildFailure("COPY failed: bad pattern \(pattern)") }
        found += try expand(compiled, rootFD: rootFD)
        continue
      }
      let directory = clean == "/" ? "/" : Files.parent(of: clean)
      let name = clean == "/" ? "." : String(clean.split(separator: "/").last ?? ".")
      guard let dirFD = try InRootPath.open(rootFD, directory.isEmpty ? "/" : directory) else {
        throw notFound(pattern)
      }
      defer { close(dirFD) }
      var st = stat()
      guard fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { throw notFound(pattern) }
      found.append(FoundSource(directory: directory, name: name, isDirectory: st.st_mode & S_IFMT == S_IFDIR))
    }
    if found.isEmpty { throw BuildFailure("COPY failed: no source files were specified") }
    return found
  }

  static func notFound(_ path: String) -> BuildFailure {
    BuildFailure(
      "COPY failed: file not found in build context or excluded by .dockerignore: stat \(path): file does not exist")
  }

  /// Walks the pattern's components: each level keeps the names its component matches.
  private static func expand(_ pattern: SourcePattern, rootFD: Int32) throws -> [FoundSource] {
    var level: [String] = ["/"]
    var out: [FoundSource] = []
    for (i, _) in pattern.components.enumerated() {
      let last = i == pattern.components.count - 1
      var next: [String] = []
      for directory in level {
        guard let fd = try InRootPath.open(rootFD, directory) else { continue }
        defer { close(fd) }
        for name in try TreeArchive.names(fd, path: directory) where pattern.matches(component: i, name) {
          var st = stat()
          guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
          let isDirectory = st.st_mode & S_IFMT == S_IFDIR
          if last {
            out.append(FoundSource(directory: directory, name: name, isDirectory: isDirectory))
          } else if isDirectory {
            next.append(directory == "/" ? "/" + name : directory + "/" + name)
          }
        }
      }
      level = next
    }
    return out
  }

  /// Writes the sources as tar entries below `destination`: a file as `destination` itself
  /// (or inside it when `intoDirectory`), a directory's contents inside `destination`.
  /// Entries are owned by `owner`, with `mode` when given; `keepTimes` false zeroes the
  /// modification times (the cache digest, which file times must not change).
  static func write(
    _ sources: [FoundSource], inline: [InlineSource], rootFD: Int32, destination: String, intoDirectory: Bool,
    createDestination: Bool, owner: (uid: UInt32, gid: UInt32), mode: UInt32?, keepTimes: Bool, to tar: TarWriter
  ) throws {
    let uid = Int64(owner.uid)
    let gid = Int64(owner.gid)
    let adjust: (inout TarWriter.Metadata, Bool) -> Void = { meta, _ in
      meta.uid = uid
      meta.gid = gid
      if let mode { meta.mode = mode }
      if !keepTimes { meta.mtime = timespec(tv_sec: 0, tv_nsec: 0) }
    }
    let dest = destination == "/" ? "" : destination.trimmingSuffix("/")
    if createDestination && (intoDirectory || sources.contains(where: \.isDirectory)) && !dest.isEmpty {
      // A directory the copy makes is made now (its time is not a source's).
      var meta = TarWriter.Metadata(mode: 0o755, uid: uid, gid: gid, mtime: Timestamps.nowSpec())
      adjust(&meta, true)
      try tar.addDirectory(dest, metadata: meta)
    }
    for source in sources {
      guard let dirFD = try InRootPath.open(rootFD, source.directory.isEmpty ? "/" : source.directory) else {
        throw notFound(source.directory + "/" + source.name)
      }
      defer { close(dirFD) }
      if source.isDirectory {
        let fd = openat(dirFD, source.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", errno: errno, source.name) }
        defer { close(fd) }
        for child in try TreeArchive.names(fd, path: source.name) {
          try TreeArchive.write(at: fd, child, as: dest + "/" + child, to: tar, adjust: adjust)
        }
      } else {
        let entry = intoDirectory ? dest + "/" + source.name : dest
        try TreeArchive.write(at: dirFD, source.name, as: entry, to: tar, adjust: adjust)
      }
    }
    for file in inline {
      var meta = TarWriter.Metadata(mode: 0o644, uid: uid, gid: gid, mtime: Timestamps.nowSpec())
      adjust(&meta, false)
      let entry = intoDirectory ? dest + "/" + file.name : dest
      try tar.addFile(entry, bytes: file.content, metadata: meta)
    }
  }

  /// The sources' digest for the cache: names, types, modes, owners, contents, link
  /// targets — not file times.
  static func digest(
    _ sources: [FoundSource], inline: [InlineSource], rootFD: Int32, owner: (uid: UInt32, gid: UInt32),
    mode: UInt32?
  ) throws -> String {
    let hasher = SHA256Hasher()
    let tar = try TarWriter { hasher.update($0) }
    for (i, source) in sources.enumerated() {
      try write(
        [source], inline: [], rootFD: rootFD, destination: "/\(i)", intoDirectory: true, createDestination: false,
        owner: owner, mode: mode, keepTimes: false, to: tar)
    }
    try write(
      [], inline: inline, rootFD: rootFD, destination: "/inline", intoDirectory: true, createDestination: false,
      owner: owner, mode: mode, keepTimes: false, to: tar)
    try tar.close()
    return hasher.finalize().description
  }
}
