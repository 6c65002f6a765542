#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Bounds and choices for applying a layer.
public struct LayerApplyOptions: Sendable {
  /// Refuse layers that expand to more than this many bytes (uncompressed tar stream).
  public var maxExpandedBytes: Int64 = 1 << 40
  /// Refuse layers that expand more than this many times their compressed size...
  public var maxCompressionRatio: Int64 = 2048
  /// ...once more than this many bytes were expanded (small layers compress well).
  public var ratioGraceBytes: Int64 = 64 << 20
  /// Set owners from the tar headers (needs root); otherwise files belong to the caller.
  public var preserveOwnership: Bool = geteuid() == 0

  public init() {}
}

/// What an applied layer contained.
public struct LayerApplyResult: Sendable, Equatable {
  public var entries: Int
  /// Bytes of the uncompressed tar stream (what its diffID hashes).
  public var expandedBytes: Int64
  /// Bytes read from the source.
  public var compressedBytes: Int64
}
