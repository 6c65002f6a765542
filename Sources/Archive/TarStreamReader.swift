// A libarchive tar reader fed from a DecompressingSource through a read callback.
import CArchive

final class TarStreamReader {
  let source: DecompressingSource
  let observe: ((UnsafeRawBufferPointer) -> Void)?
  var sourceError: Error?

  init(source: DecompressingSource, observe: ((UnsafeRawBufferPointer) -> Void)?) {
    self.source = source
    self.observe = observe
  }

  /// Calls `body` for each entry header; the body reads the entry's data from the archive.
  func forEachEntry(_ body: (OpaquePointer?, OpaquePointer) throws -> Void) throws {
    guard let a = archive_read_new() else {
      throw ArchiveError.library(op: "archive_read_new", message: "out of memory")
    }
    defer { archive_read_free(a) }
    archive_read_support_format_tar(a)
    archive_read_support_format_gnutar(a)
    archive_read_support_format_empty(a)
    let ctx = Unmanaged.passUnretained(self).toOpaque()
    let opened = archive_read_open(
      a, ctx, nil,
      { _, ctx, buffer in
        guard let ctx, let buffer else { return -1 }
        let me = Unmanaged<TarStreamReader>.fromOpaque(ctx).takeUnretainedValue()
        do {
          let chunk = try me.source.next()
          if chunk.count > 0 { me.observe?(chunk) }
          buffer.pointee = chunk.baseAddress
          return chunk.count
        } catch {
          me.sourceError = error
          return -1
        }
      }, nil)
    guard opened == ARCHIVE_OK else { throw try failure(a, "open tar stream") }
    while true {
      var entry: OpaquePointer?
      let r = archive_read_next_header(a, &entry)
      if r == ARCHIVE_EOF { return }
      if r < ARCHIVE_WARN { throw try failure(a, "read tar header") }
      guard let entry else {
        throw ArchiveError.library(op: "read tar header", message: "no entry")
      }
      try body(a, entry)
    }
  }

  /// Reads (and observes) whatever follows the end-of-archive marker, so that the
  /// observer sees the whole stream.
  func drain() throws {
    while true {
      let chunk = try source.next()
      if chunk.count == 0 { return }
      observe?(chunk)
    }
  }

  private func failure(_ a: OpaquePointer?, _ op: String) throws -> Error {
    if let sourceError { return sourceError }
    return ArchiveError.library(op: op, message: DecompressingSource.message(a))
  }
}
