// gzip compression through zlib, streaming to a sink.
import CArchive

public final class GzipWriter {
  private var stream = z_stream()
  private let output: (UnsafeRawBufferPointer) throws -> Void
  private let buffer: UnsafeMutablePointer<UInt8>
  private let bufferSize = 256 << 10
  private var finished = false

  /// `level` 1 (fast) … 9 (small); -1 is zlib's default (6), as Docker uses.
  public init(level: Int32 = -1, output: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
    self.output = output
    buffer = .allocate(capacity: bufferSize)
    guard berth_archive_deflate_init_gzip(&stream, level) == Z_OK else {
      buffer.deallocate()
      throw ArchiveError.library(op: "deflateInit", message: "zlib refused level \(level)")
    }
  }

  deinit {
    deflateEnd(&stream)
    buffer.deallocate()
  }

  public func write(_ data: UnsafeRawBufferPointer) throws {
    guard let base = data.baseAddress, data.count > 0 else { return }
    var offset = 0
    while offset < data.count {
      let n = min(data.count - offset, Int(UInt32.max >> 1))
      stream.next_in = UnsafeMutablePointer(
        mutating: (base + offset).assumingMemoryBound(to: UInt8.self))
      stream.avail_in = UInt32(n)
      try pump(Z_NO_FLUSH)
      offset += n
    }
  }

  /// Flushes the gzip trailer. Further writes are not allowed.
  public func finish() throws {
    guard !finished else { return }
    finished = true
    stream.next_in = nil
    stream.avail_in = 0
    try pump(Z_FINISH)
  }

  private func pump(_ flush: Int32) throws {
    repeat {
      stream.next_out = buffer
      stream.avail_out = UInt32(bufferSize)
      let r = deflate(&stream, flush)
      guard r == Z_OK || r == Z_STREAM_END || r == Z_BUF_ERROR else {
        throw ArchiveError.library(op: "deflate", message: "zlib error \(r)")
      }
      let produced = bufferSize - Int(stream.avail_out)
      if produced > 0 { try output(UnsafeRawBufferPointer(start: buffer, count: produced)) }
      if flush == Z_FINISH && r == Z_STREAM_END { return }
    } while stream.avail_out == 0 || (flush == Z_FINISH)
  }
}
