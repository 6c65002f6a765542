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
  /// Turn `.wh.` entries into overlay whiteouts (a layer); off, they are plain files (`docker cp`).
  public var whiteouts = true
  /// Refuse to replace a directory with a non-directory or the reverse (`docker cp`'s
  /// noOverwriteDirNonDir) instead of replacing it.
  public var noOverwriteDirNonDir = false
  /// Own every entry by this user and group instead of the header's (with preserveOwnership).
  public var owner: Owner?
  /// Read absolute entry names as relative to the target (as Docker's untar does) instead
  /// of refusing them.
  public var stripLeadingSlash = false
  /// Rename entries: `from` (or a path below it) becomes `to` (docker cp to a new name).
  public var rebase: Rebase?

  /// Threads that write regular files' data and metadata while the parser thread creates
  /// the next entries (0: the parser writes them itself).
  public var writerThreads = 1

  public init() {}

  public struct Owner: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    public init(uid: UInt32, gid: UInt32) {
      self.uid = uid
      self.gid = gid
    }
  }

  public struct Rebase: Sendable, Equatable {
    public var from: String
    public var to: String
    public init(from: String, to: String) {
      self.from = from
      self.to = to
    }

    /// `path` with a leading `from` component(s) replaced by `to`.
    public func apply(_ path: String) -> String {
      var p = Substring(path)
      while p.hasPrefix("./") && from != "." { p = p.dropFirst(2) }
      if p == from || p == from + "/" { return to }
      if from == "." && !p.hasPrefix("./") && p != "." { return to + "/" + p }
      if p.hasPrefix(from + "/") { return to + "/" + p.dropFirst(from.count + 1) }
      return String(p)
    }
  }
}

/// What an applied layer contained.
public struct LayerApplyResult: Sendable, Equatable {
  public var entries: Int
  /// Bytes of the uncompressed tar stream (what its diffID hashes).
  public var expandedBytes: Int64
  /// Bytes read from the source.
  public var compressedBytes: Int64
  /// Directories the layer needed as parents but has no entry for ("tmp" for a lone
  /// "tmp/x"), made 0755 root: their mode and owner should come from the layers below.
  public var implicitDirectories: [String] = []
}
