// Writes a tar stream (pax, so long names and xattrs survive) to a sink, entry by entry.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public final class TarWriter {
  private let archive: OpaquePointer
  private let entry: OpaquePointer
  fileprivate let output: (UnsafeRawBufferPointer) throws -> Void
  fileprivate var outputError: Error?
  private var closed = false

  public struct Metadata: Sendable {
    public var mode: UInt32
    public var uid: Int64 = 0
    public var gid: Int64 = 0
    public var mtime: timespec = timespec(tv_sec: 0, tv_nsec: 0)
    public var xattrs: [(name: String, value: [UInt8])] = []
    public init(
      mode: UInt32, uid: Int64 = 0, gid: Int64 = 0,
      mtime: timespec = timespec(tv_sec: 0, tv_nsec: 0)
    ) {
      self.mode = mode
      self.uid = uid
      self.gid = gid
      self.mtime = mtime
    }
  }

  /// A writer whose bytes go to `output` (called with chunks of up to 64 KiB).
  public init(output: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
    guard let a = archive_write_new(), let e = archive_entry_new() else {
      throw ArchiveError.library(op: "archive_write_new", message: "out of memory")
    }
    archive = a
    entry = e
    self.output = output
    archive_write_set_format_pax_restricted(a)
    _ = archive_write_set_format_option(a, "pax", "xattrheader", "SCHILY")
    archive_write_set_bytes_per_block(a, 64 << 10)
    archive_write_set_bytes_in_last_block(a, 1)
    let ctx = Unmanaged.passUnretained(self).toOpaque()
    let r = archive_write_open2(
      a, ctx, nil,
      { _, ctx, buf, n in
        guard let ctx else { return -1 }
        let me = Unmanaged<TarWriter>.fromOpaque(ctx).takeUnretainedValue()
        do {
          try me.output(UnsafeRawBufferPointer(start: buf, count: n))
          return n
        } catch {
          me.outputError = error
          return -1
        }
      }, nil, nil)
    guard r == ARCHIVE_OK else {
      throw ArchiveError.library(op: "open tar writer", message: DecompressingSource.message(a))
    }
  }

  /// A writer to a file descriptor.
  public convenience init(fd: Int32) throws {
    try self.init(output: { buf in
      guard let base = buf.baseAddress else { return }
      try Sys.writeAll(fd, base, buf.count, path: "<fd \(fd)>")
    })
  }

  deinit {
    if !closed { archive_write_close(archive) }
    archive_write_free(archive)
    archive_entry_free(entry)
  }

  private func header(_ path: String, type: mode_t, _ m: Metadata, size: Int64 = 0) {
    archive_entry_clear(entry)
    archive_entry_set_pathname(entry, path)
    archive_entry_set_filetype(entry, UInt32(type))
    archive_entry_set_perm(entry, m.mode & 0o7777)
    archive_entry_set_uid(entry, m.uid)
    archive_entry_set_gid(entry, m.gid)
    archive_entry_set_mtime(entry, m.mtime.tv_sec, m.mtime.tv_nsec)
    archive_entry_set_size(entry, size)
    for x in m.xattrs {
      x.value.withUnsafeBytes {
        archive_entry_xattr_add_entry(entry, x.name, $0.baseAddress, $0.count)
      }
    }
  }

  private func writeHeader(_ path: String) throws {
    let r = archive_write_header(archive, entry)
    if r < ARCHIVE_WARN { throw failure("write header for \(path)") }
  }

  private func failure(_ op: String) -> Error {
    if let outputError { return outputError }
    return ArchiveError.library(op: op, message: DecompressingSource.message(archive))
  }

  /// A regular file of exactly `size` bytes, produced by `body` through its sink.
  public func addFile(
    _ path: String, size: Int64, metadata: Metadata = Metadata(mode: 0o644),
    _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
  ) throws {
    header(path, type: Sys.S_IFREG, metadata, size: size)
    try writeHeader(path)
    var written: Int64 = 0
    try body { chunk in
      guard let base = chunk.baseAddress, chunk.count > 0 else { return }
      guard written + Int64(chunk.count) <= size else {
        throw ArchiveError.library(
          op: "write \(path)", message: "more data than the declared \(size) bytes")
      }
      let n = archive_write_data(archive, base, chunk.count)
      if n < 0 { throw failure("write data of \(path)") }
      written += Int64(chunk.count)
    }
    guard written == size else {
      throw ArchiveError.library(
        op: "write \(path)", message: "got \(written) bytes, declared \(size)")
    }
  }

  /// A regular file with the given bytes.
  public func addFile(_ path: String, bytes: [UInt8], metadata: Metadata = Metadata(mode: 0o644))
    throws
  {
    try addFile(path, size: Int64(bytes.count), metadata: metadata) { sink in
      try bytes.withUnsafeBytes { try sink($0) }
    }
  }

  /// A regular file copied from `fd` (read to its end; `size` bytes expected).
  public func addFile(
    _ path: String, fd: Int32, size: Int64, metadata: Metadata = Metadata(mode: 0o644)
  ) throws {
    try addFile(path, size: size, metadata: metadata) { sink in
      let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
      defer { buf.deallocate() }
      while true {
        let n = read(fd, buf.baseAddress, buf.count)
        if n < 0 {
          if errno == EINTR { continue }
          throw Sys.fail("read", path)
        }
        if n == 0 { return }
        try sink(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
      }
    }
  }

  public func addDirectory(_ path: String, metadata: Metadata = Metadata(mode: 0o755)) throws {
    header(path, type: Sys.S_IFDIR, metadata)
    try writeHeader(path)
  }

  public func addSymlink(_ path: String, target: String, metadata: Metadata = Metadata(mode: 0o777))
    throws
  {
    header(path, type: Sys.S_IFLNK, metadata)
    archive_entry_set_symlink(entry, target)
    try writeHeader(path)
  }

  public func addHardlink(
    _ path: String, target: String, metadata: Metadata = Metadata(mode: 0o644)
  ) throws {
    header(path, type: Sys.S_IFREG, metadata)
    archive_entry_set_hardlink(entry, target)
    try writeHeader(path)
  }

  /// Character/block devices and FIFOs (`type` is the S_IF* bits).
  public func addNode(
    _ path: String, type: UInt32, major: UInt32, minor: UInt32, metadata: Metadata
  ) throws {
    header(path, type: type, metadata)
    archive_entry_set_rdevmajor(entry, dev_t(major))
    archive_entry_set_rdevminor(entry, dev_t(minor))
    try writeHeader(path)
  }

  /// Writes the end-of-archive marker and flushes.
  public func close() throws {
    guard !closed else { return }
    closed = true
    if archive_write_close(archive) != ARCHIVE_OK { throw failure("close tar") }
  }
}
