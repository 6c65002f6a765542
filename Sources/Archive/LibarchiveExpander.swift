// zstd, xz, bzip2 and uncompressed streams, expanded by libarchive's "raw" format.
import CArchive

final class LibarchiveExpander: StreamExpander {
  private let archive: OpaquePointer
  private let input: CompressedInput
  /// Set by the read callback, which can only report failure to libarchive as -1.
  private var inputError: Error?

  init(input: CompressedInput) throws {
    guard let a = archive_read_new() else {
      throw ArchiveError.library(op: "archive_read_new", message: "out of memory")
    }
    archive = a
    self.input = input
    archive_read_support_filter_gzip(a)
    archive_read_support_filter_zstd(a)
    archive_read_support_filter_xz(a)
    archive_read_support_filter_bzip2(a)
    archive_read_support_format_raw(a)
    archive_read_support_format_empty(a)
    let ctx = Unmanaged.passUnretained(self).toOpaque()
    let opened = archive_read_open(
      a, ctx, nil,
      { _, ctx, buffer in
        guard let ctx, let buffer else { return -1 }
        let me = Unmanaged<LibarchiveExpander>.fromOpaque(ctx).takeUnretainedValue()
        return me.nextInputBlock(buffer)
      }, nil)
    guard opened == ARCHIVE_OK else { throw failure("open layer stream") }
    var entry: OpaquePointer?
    let r = archive_read_next_header(a, &entry)
    if r == ARCHIVE_EOF {
      ended = true
    } else if r != ARCHIVE_OK && r != ARCHIVE_WARN {
      throw failure("read layer stream")
    }
  }

  deinit { archive_read_free(archive) }

  private var ended = false

  func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
    if ended { return 0 }
    let n = archive_read_data(archive, buffer, capacity)
    if n < 0 { throw failure("decompress layer") }
    if n == 0 { ended = true }
    return n
  }

  /// Hands libarchive the whole unconsumed window (valid until its next call).
  private func nextInputBlock(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
    do {
      if input.available.isEmpty { _ = try input.fill() }
    } catch {
      inputError = error
      return -1
    }
    let block = input.available
    input.consume(block.count)
    out.pointee = block.baseAddress
    return block.count
  }

  private func failure(_ op: String) -> ArchiveError {
    if let e = inputError as? ArchiveError { return e }
    return .library(op: op, message: DecompressingSource.message(archive))
  }
}
