// A regular file's data and final metadata, handed from the tar parser to a FileWriter
// thread. The parser has already created the file (beneath the root, no symlinks
// followed); the job only touches the open descriptor, never a path.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

struct FileJob {
  /// What to set once the data is written.
  struct Finish {
    /// The size to extend the file to (a sparse tail), when its data ends short of it.
    var truncateTo: Int64?
    var owner: (uid: uid_t, gid: gid_t)?
    var mode: mode_t
    var xattrs: [(name: String, value: [UInt8])]
    var times: [timespec]?
  }

  let fd: Int32
  let path: String
  /// Copied data blocks at their file offsets (owned; freed by `release`).
  var blocks: [(offset: Int64, bytes: UnsafeMutableRawBufferPointer)] = []
  var byteCount = 0
  /// Set on the file's last complete job: apply the metadata.
  var finish: Finish?
  /// Set on the file's last job (also when the apply stopped half-way): close the descriptor.
  var isLast = false

  init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  mutating func append(_ p: UnsafeRawPointer, _ n: Int, offset: Int64) {
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: n, alignment: 16)
    copy.copyMemory(from: UnsafeRawBufferPointer(start: p, count: n))
    blocks.append((offset, copy))
    byteCount += n
  }

  func release() {
    for b in blocks { b.bytes.deallocate() }
  }

  /// Drops the job unrun: frees its data, closes the descriptor if it is the last job.
  func discard() {
    release()
    if isLast { close(fd) }
  }

  /// Writes the blocks, then (on the last job) the metadata in the inline path's order:
  /// size, owner (which clears set-id bits), mode, xattrs, times. Closes on `isLast`.
  func run() throws {
    defer { if isLast { close(fd) } }
    for b in blocks {
      guard let base = b.bytes.baseAddress else { continue }
      try Sys.pwriteAll(fd, base, b.bytes.count, offset: b.offset, path: path)
    }
    guard let f = finish else { return }
    try FileMetadata.apply(
      fd: fd, path: path, truncateTo: f.truncateTo, owner: f.owner, mode: f.mode,
      xattrs: f.xattrs, times: f.times)
  }
}

/// Sets a written regular file's final size and metadata through its descriptor.
enum FileMetadata {
  static func apply(
    fd: Int32, path: String, truncateTo: Int64?, owner: (uid: uid_t, gid: gid_t)?, mode: mode_t,
    xattrs: [(name: String, value: [UInt8])], times: [timespec]?
  ) throws {
    if let size = truncateTo, ftruncate(fd, off_t(size)) != 0 { throw Sys.fail("truncate", path) }
    if let o = owner, fchown(fd, o.uid, o.gid) != 0 { throw Sys.fail("chown", path) }
    guard fchmod(fd, mode) == 0 else { throw Sys.fail("chmod", path) }
    for x in xattrs where fsetxattr(fd, x.name, x.value, x.value.count, 0) != 0 {
      if errno == ENOTSUP || errno == EOPNOTSUPP { continue }
      throw Sys.fail("setxattr \(x.name)", path)
    }
    if var ts = times { _ = futimens(fd, &ts) }
  }
}
