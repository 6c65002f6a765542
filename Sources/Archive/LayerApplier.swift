// Applies a tar / tar+gzip / tar+zstd layer, streaming, into a directory that will be an
// overlay upper dir: OCI whiteouts become overlay whiteouts (char device 0:0) and opaque
// markers become trusted.overlay.opaque=y. Every path is resolved beneath the target
// without following symlinks; a hostile entry stops the apply with an error.
import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public enum LayerApplier {
  /// Applies the layer read from `fd` (compression detected from the bytes) into
  /// `directory`. `observe` sees every byte of the uncompressed tar stream, in order
  /// (hash it to get the diffID), on the decompression thread; its last call happens
  /// before this returns or throws.
  @discardableResult
  public static func apply(
    fd: Int32, into directory: String, options: LayerApplyOptions = LayerApplyOptions(),
    observe: ((UnsafeRawBufferPointer) -> Void)? = nil
  ) throws -> LayerApplyResult {
    let source = DecompressingSource(
      fd: fd, maxBytes: options.maxExpandedBytes, maxRatio: options.maxCompressionRatio,
      ratioGrace: options.ratioGraceBytes)
    source.observe = observe
    try source.start()
    defer { source.finish() }
    return try apply(source: source, root: RootedDirectory(path: directory), options: options)
  }

  /// Applies the tar read from `fd` beneath the open directory `directoryFD` (`displayPath`
  /// names it in errors). Nothing is written outside it, whatever its entries say.
  @discardableResult
  public static func apply(
    fd: Int32, intoDirectoryFD directoryFD: Int32, displayPath: String,
    options: LayerApplyOptions = LayerApplyOptions()
  ) throws -> LayerApplyResult {
    let source = DecompressingSource(
      fd: fd, maxBytes: options.maxExpandedBytes, maxRatio: options.maxCompressionRatio,
      ratioGrace: options.ratioGraceBytes)
    try source.start()
    defer { source.finish() }
    return try apply(
      source: source, root: RootedDirectory(fd: directoryFD, path: displayPath), options: options)
  }

  private static func apply(
    source: DecompressingSource, root: RootedDirectory, options: LayerApplyOptions
  ) throws -> LayerApplyResult {
    let applier = try Applier(root: root, options: options)
    // The source observes the stream; drain() below makes it expand (and observe) to the end.
    let reader = TarStreamReader(source: source, observe: nil)
    var entries = 0
    do {
      try reader.forEachEntry { a, entry in
        entries += 1
        try applier.apply(entry, archive: a)
      }
      try reader.drain()
    } catch {
      applier.cancel()
      // The producer's error (bomb bound, corrupt compression) explains a parse failure best.
      if let e = source.error { throw e }
      throw error
    }
    try applier.finish()
    source.finish()
    return LayerApplyResult(
      entries: entries, expandedBytes: source.expandedBytes, compressedBytes: source.compressedBytes,
      implicitDirectories: root.implicitDirectories.sorted())
  }

  /// Applies the layer file at `path`.
  @discardableResult
  public static func apply(
    path: String, into directory: String, options: LayerApplyOptions = LayerApplyOptions(),
    observe: ((UnsafeRawBufferPointer) -> Void)? = nil
  ) throws -> LayerApplyResult {
    let fd = Sys.retry { open(path, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { throw Sys.fail("open", path) }
    defer { close(fd) }
    return try apply(fd: fd, into: directory, options: options, observe: observe)
  }
}
