// Reading any tar stream entry by entry (for docker-archive / OCI layout tarballs):
// compression detected, decompression on its own thread, bomb bounds applied.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public struct TarEntryHeader: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case file, directory, symlink, hardlink, other
  }
  /// The path as written in the archive, with a leading "./" removed.
  public var path: String
  public var kind: Kind
  public var size: Int64
  /// Symlink or hardlink target.
  public var linkTarget: String?
}

/// Data of the current entry; valid only inside the entry callback.
public struct TarEntryData: ~Copyable {
  let archive: OpaquePointer?
  let path: String

  /// Streams the entry's bytes to `sink` in chunks.
  public func read(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
    while true {
      var buf: UnsafeRawPointer?
      var size = 0
      var offset: la_int64_t = 0
      let r = archive_read_data_block(archive, &buf, &size, &offset)
      if r == ARCHIVE_EOF { return }
      if r < ARCHIVE_WARN {
        throw ArchiveError.library(
          op: "read \(path)", message: DecompressingSource.message(archive))
      }
      if let buf, size > 0 { try sink(UnsafeRawBufferPointer(start: buf, count: size)) }
    }
  }

  /// The whole entry, refusing more than `limit` bytes.
  public func readAll(limit: Int = 64 << 20) throws -> [UInt8] {
    var out: [UInt8] = []
    try read { chunk in
      guard out.count + chunk.count <= limit else {
        throw ArchiveError.expandedSizeLimit(limit: Int64(limit))
      }
      out.append(contentsOf: chunk)
    }
    return out
  }
}

public enum TarEntries {
  /// Calls `body` for each entry of the (optionally compressed) tar read from `fd`.
  public static func forEach(
    fd: Int32, options: LayerApplyOptions = LayerApplyOptions(),
    _ body: (TarEntryHeader, borrowing TarEntryData) throws -> Void
  ) throws {
    let source = DecompressingSource(
      fd: fd, maxBytes: options.maxExpandedBytes, maxRatio: options.maxCompressionRatio,
      ratioGrace: options.ratioGraceBytes)
    try source.start()
    defer { source.finish() }
    let reader = TarStreamReader(source: source, observe: nil)
    do {
      try reader.forEachEntry { a, entry in
        guard let cpath = archive_entry_pathname(entry) else { return }
        var path = String(cString: cpath)
        while path.hasPrefix("./") { path.removeFirst(2) }
        let type = archive_entry_filetype(entry) & Sys.S_IFMT
        var kind: TarEntryHeader.Kind
        var target: String?
        if let hl = archive_entry_hardlink(entry) {
          kind = .hardlink
          target = String(cString: hl)
        } else {
          switch type {
          case Sys.S_IFREG: kind = .file
          case Sys.S_IFDIR: kind = .directory
          case Sys.S_IFLNK:
            kind = .symlink
            target = archive_entry_symlink(entry).map { String(cString: $0) }
          default: kind = .other
          }
        }
        let header = TarEntryHeader(
          path: path, kind: kind, size: archive_entry_size(entry), linkTarget: target)
        try body(header, TarEntryData(archive: a, path: path))
      }
    } catch {
      if let e = source.error { throw e }
      throw error
    }
  }

  /// Streams the decompressed bytes of `fd` (gzip, zstd, xz, bzip2 or plain) to `sink`.
  public static func decompress(
    fd: Int32, options: LayerApplyOptions = LayerApplyOptions(),
    _ sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let source = DecompressingSource(
      fd: fd, maxBytes: options.maxExpandedBytes, maxRatio: options.maxCompressionRatio,
      ratioGrace: options.ratioGraceBytes)
    try source.start()
    defer { source.finish() }
    while true {
      let chunk = try source.next()
      if chunk.count == 0 { return }
      try sink(chunk)
    }
  }
}
