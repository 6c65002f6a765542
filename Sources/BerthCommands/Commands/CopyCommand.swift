// `berth cp`: files between a container and the host (or a tar on stdin/stdout), with
// docker's destination rules (CopyPaths). The tar is made and unpacked by `CopyTarWork`
// (the Archive library, in the berth-cp executable: see CopyTarWork.swift), streamed
// through a socket pair with a helper thread on the other end.
import EngineAPI
import EngineClient
import Glibc
import LinuxOS

enum CopyCommand {
  static let spec = CommandSpec(
    "cp", usage: "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
    summary: "Copy files/folders between a container and the local filesystem",
    aliases: ["container cp", "cp"],
    flags: [
      .bool("archive", "a", "Archive mode (copy all uid/gid information)"),
      .bool("follow-link", "L", "Always follow symbol link in SRC_PATH"),
      .bool("quiet", "q", "Suppress progress output during copy"),
    ], arguments: .exactly(2))

  static let command = Command(spec) { ctx, flags in
    guard let tarWork = CopyHelper.tarWork else { try CopyHelper.execHelper() }
    let (source, destination) = (flags.positionals[0], flags.positionals[1])
    guard !source.isEmpty else { throw CommandError.failure("source can not be empty") }
    guard !destination.isEmpty else { throw CommandError.failure("destination can not be empty") }
    let src = CopyPaths.splitArgument(source)
    let dst = CopyPaths.splitArgument(destination)
    switch (src.container, dst.container) {
    case (let c?, nil):
      try fromContainer(
        ctx, container: c, path: src.path, to: dst.path, followLink: flags.bool("follow-link"), tarWork: tarWork)
    case (nil, let c?):
      try toContainer(
        ctx, from: src.path, container: c, path: dst.path, followLink: flags.bool("follow-link"),
        copyUIDGID: flags.bool("archive"), tarWork: tarWork)
    case (.some, .some):
      throw CommandError.failure("copying between containers is not supported")
    case (nil, nil):
      throw CommandError.failure("must specify at least one container source")
    }
    return 0
  }

  // MARK: container → host

  static func fromContainer(
    _ ctx: CommandContext, container: String, path: String, to destination: String, followLink: Bool,
    tarWork: any CopyTarWork
  ) throws {
    let client = try ctx.client()
    var srcPath = path
    var rebaseName: String?
    if followLink, let stat = try? statPath(client, container, srcPath), stat.isSymlink {
      var target = stat.linkTarget
      if !target.hasPrefix("/") { target = CopyPaths.join(CopyPaths.splitDirEntry(srcPath).0, target) }
      (srcPath, rebaseName) = CopyPaths.rebaseName(path: srcPath, resolved: target)
    }
    let (head, body) = try client.open(
      "GET", "/containers/\(container)/archive", query: [("path", srcPath)])
    defer { body.close() }
    if destination == "-" {
      while let piece = try body.next() { try FD.write(ctx.io.stdout, piece) }
      return
    }
    guard let header = head.header(ContainerPathStat.headerName), let stat = ContainerPathStat(headerValue: header)
    else { throw CommandError.failure("the daemon sent no stat of \(container):\(srcPath)") }
    let source = CopyInfo(path: srcPath, exists: true, isDirectory: stat.isDirectory, rebaseName: rebaseName)
    let target = try localDestination(CopyPaths.absolute(destination, cwd: try currentDirectory()))
    let (directory, entryName) = try CopyPaths.prepare(source: source, destination: target)
    // The daemon names the top entry after the path it archived.
    let archived = stat.name
    let dirFD = try FD.open(directory, O_PATH_DIRECTORY)
    defer { FD.close(dirFD) }
    try pumping(
      produce: { fd in
        while let piece = try body.next() { try sendAll(fd, piece) }
      },
      consume: { fd in
        try tarWork.extract(
          tarFD: fd, intoDirectoryFD: dirFD, displayPath: directory,
          renaming: archived != entryName ? (archived, entryName) : nil)
      })
  }

  /// The local destination, following symlinks; missing is fine if its parent is a directory.
  static func localDestination(_ path: String) throws -> CopyInfo {
    var current = path
    for _ in 0..<40 {
      var st = stat()
      if lstat(current, &st) != 0 {
        guard errno == ENOENT else { throw CommandError.failure("\(path): \(String(cString: strerror(errno)))") }
        var parent = stat()
        let dir = CopyPaths.splitDirEntry(current).0
        guard stat(dir, &parent) == 0 else {
          throw CommandError.failure("\(dir): \(String(cString: strerror(errno)))")
        }
        guard parent.st_mode & S_IFMT == S_IFDIR else { throw CommandError.failure("not a directory") }
        return CopyInfo(path: current)
      }
      guard st.st_mode & S_IFMT == S_IFLNK else {
        return CopyInfo(path: current, exists: true, isDirectory: st.st_mode & S_IFMT == S_IFDIR)
      }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(current, &buffer, buffer.count - 1)
      guard n >= 0 else { throw CommandError.failure("readlink \(current): \(String(cString: strerror(errno)))") }
      let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      let joined =
        target.hasPrefix("/") ? CopyPaths.clean(target) : CopyPaths.join(CopyPaths.splitDirEntry(current).0, target)
      current = CopyPaths.preserveTrailing(joined, original: path)
    }
    throw CommandError.failure("\(path): too many levels of symbolic links")
  }

  // MARK: host → container

  static func toContainer(
    _ ctx: CommandContext, from source: String, container: String, path: String, followLink: Bool,
    copyUIDGID: Bool, tarWork: any CopyTarWork
  ) throws {
    let client = try ctx.client()
    var destination = CopyInfo(path: path)
    var stat = try? statPath(client, container, path)
    if let s = stat, s.isSymlink {
      var target = s.linkTarget
      if !target.hasPrefix("/") { target = CopyPaths.join(CopyPaths.splitDirEntry(path).0, target) }
      destination.path = target
      stat = try? statPath(client, container, target)
    }
    if let s = stat {
      guard s.mode & ContainerPathStat.modeDevice == 0 else {
        throw CommandError.failure(
          "destination \"\(container):\(path)\" must be a directory or a regular file")
      }
      destination.exists = true
      destination.isDirectory = s.isDirectory
    }
    var query = [("path", ""), ("noOverwriteDirNonDir", "true")]
    if copyUIDGID { query.append(("copyUIDGID", "true")) }
    if source == "-" {
      guard destination.isDirectory else {
        throw CommandError.failure("destination \"\(container):\(path)\" must be a directory")
      }
      query[0].1 = destination.path
      try client.call(
        "PUT", "/containers/\(container)/archive", query: query,
        body: .stream(fd: ctx.io.stdin, contentType: "application/x-tar"))
      return
    }
    let local = try localSource(CopyPaths.absolute(source, cwd: try currentDirectory()), followLink: followLink)
    let (directory, entryName) = try CopyPaths.prepare(source: local.info, destination: destination)
    query[0].1 = directory
    let (parent, name) = CopyPaths.splitDirEntry(local.info.path)
    let parentFD = try FD.open(parent, O_PATH_DIRECTORY)
    defer { FD.close(parentFD) }
    try pumping(
      produce: { fd in
        try tarWork.archive(at: parentFD, name, as: entryName, output: { chunk in try sendAll(fd, chunk) })
      },
      consume: { fd in
        try client.call(
          "PUT", "/containers/\(container)/archive", query: query,
          body: .stream(fd: fd, contentType: "application/x-tar"))
      })
  }

  /// The local source (ResolveHostSourcePath): its directory's symlinks are followed, the
  /// last element only with -L (or a trailing "/").
  static func localSource(_ path: String, followLink: Bool) throws -> (info: CopyInfo, stat: stat) {
    var resolved: String
    var rebase: String?
    if followLink {
      resolved = try realPath(path)
      (resolved, rebase) = CopyPaths.rebaseName(path: path, resolved: resolved)
    } else {
      let slash = path.lastIndex(of: "/") ?? path.startIndex
      let dirPart = String(path[...slash])
      let basePart = String(path[path.index(after: slash)...])
      resolved = try realPath(dirPart) + (basePart.isEmpty ? "" : "/" + basePart)
      if path.hasSuffix("/") && CopyPaths.base(path) != CopyPaths.base(resolved) { rebase = CopyPaths.base(path) }
    }
    var st = stat()
    guard lstat(resolved, &st) == 0 else {
      throw CommandError.failure("lstat \(path): \(String(cString: strerror(errno)))")
    }
    return (CopyInfo(path: resolved, exists: true, isDirectory: st.st_mode & S_IFMT == S_IFDIR, rebaseName: rebase), st)
  }

  // MARK: plumbing

  static let O_PATH_DIRECTORY: Int32 = 0o10000000 | O_DIRECTORY

  static func statPath(_ client: EngineClient, _ container: String, _ path: String) throws -> ContainerPathStat {
    let (head, body) = try client.open("HEAD", "/containers/\(container)/archive", query: [("path", path)])
    body.close()
    guard let value = head.header(ContainerPathStat.headerName), let stat = ContainerPathStat(headerValue: value) else {
      throw CommandError.failure("the daemon sent no stat of \(container):\(path)")
    }
    return stat
  }

  static func currentDirectory() throws -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else {
      throw CommandError.failure("getcwd: \(String(cString: strerror(errno)))")
    }
    return String(cString: buffer)
  }

  static func realPath(_ path: String) throws -> String {
    guard let p = realpath(path.isEmpty ? "." : path, nil) else {
      throw CommandError.failure("lstat \(path): \(String(cString: strerror(errno)))")
    }
    defer { free(p) }
    return String(cString: p)
  }

  /// Sends all of `bytes` (MSG_NOSIGNAL: a reader that gave up is EPIPE, not SIGPIPE).
  static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < bytes.count {
      guard let base = bytes.baseAddress else { return }
      let n = send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
      if n < 0 {
        if errno == EINTR { continue }
        throw SystemError("send", errno: errno)
      }
      offset += n
    }
  }

  static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try sendAll(fd, $0) }
  }

  /// Runs `produce` on a helper thread writing into one end of a socket pair while
  /// `consume` reads the other here. The first error (the consumer's preferred) is thrown.
  static func pumping(produce: @escaping (Int32) throws -> Void, consume: (Int32) throws -> Void) throws {
    var fds: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
      throw SystemError("socketpair", errno: errno)
    }
    let job = HelperThread(fd: fds[1], body: produce)
    try job.start()
    var consumeError: (any Error)?
    do { try consume(fds[0]) } catch { consumeError = error }
    // Closing our end makes a producer still writing fail instead of blocking.
    FD.close(fds[0])
    job.join()
    if let consumeError { throw consumeError }
    if let e = job.error { throw e }
  }
}

/// A pthread running one closure on a descriptor it closes at the end.
private final class HelperThread {
  let fd: Int32
  let body: (Int32) throws -> Void
  var error: (any Error)?
  private var thread = pthread_t()

  init(fd: Int32, body: @escaping (Int32) throws -> Void) {
    self.fd = fd
    self.body = body
  }

  func start() throws {
    let me = Unmanaged.passRetained(self).toOpaque()
    let rc = pthread_create(
      &thread, nil,
      { raw in
        guard let raw else { return nil }
        let job = Unmanaged<HelperThread>.fromOpaque(raw).takeRetainedValue()
        do { try job.body(job.fd) } catch { job.error = error }
        FD.close(job.fd)
        return nil
      }, me)
    guard rc == 0 else {
      Unmanaged<HelperThread>.fromOpaque(me).release()
      FD.close(fd)
      throw SystemError("pthread_create", errno: rc)
    }
  }

  func join() { pthread_join(thread, nil) }
}
