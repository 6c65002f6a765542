// Content-addressed blob store: <root>/blobs/sha256/<hex>, ingests staged in <root>/ingest.
// A blob appears under its final name only after its digest and size were verified and
// its bytes fsynced, so a crash never leaves a torn blob behind a valid name.
import FoundationEssentials
import OCI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public struct BlobInfo: Sendable, Hashable {
  public var digest: Digest
  public var size: Int64
  /// Modification time, seconds since the epoch (when the blob was committed).
  public var committedAt: Int64
}

public final class ContentStore: Sendable {
  public let root: String
  let blobsDir: String
  let ingestDir: String

  /// Opens (creating if needed) a store rooted at `root`.
  public init(root: String) throws {
    self.root = root
    self.blobsDir = root + "/blobs/sha256"
    self.ingestDir = root + "/ingest"
    try FS.mkdirAll(blobsDir)
    try FS.mkdirAll(ingestDir)
  }

  /// Where the blob lives (whether or not it exists).
  public func path(for digest: Digest) -> String {
    "\(root)/blobs/\(digest.algorithm)/\(digest.encoded)"
  }

  public func contains(_ digest: Digest) -> Bool {
    FS.status(path(for: digest)) != nil
  }

  /// Size and commit time of a blob, nil if absent.
  public func info(_ digest: Digest) -> BlobInfo? {
    guard let st = FS.status(path(for: digest)) else { return nil }
    return BlobInfo(digest: digest, size: Int64(st.st_size), committedAt: Int64(st.st_mtim.tv_sec))
  }

  /// The whole blob (for manifests and configs; stream layers with `open`).
  public func read(_ digest: Digest) throws -> Data {
    let p = path(for: digest)
    guard FS.status(p) != nil else { throw ContentStoreError.notFound(digest) }
    return Data(try FS.readFile(p))
  }

  /// Opens the blob for reading; the caller owns the returned descriptor and closes it.
  public func openFD(_ digest: Digest) throws -> Int32 {
    let p = path(for: digest)
    let fd = Glibc.open(p, O_RDONLY | O_CLOEXEC)
    if fd >= 0 { return fd }
    if errno == ENOENT { throw ContentStoreError.notFound(digest) }
    throw FS.fail("open", p)
  }

  /// Removes a blob. Removing an absent blob is not an error.
  public func delete(_ digest: Digest) throws {
    let p = path(for: digest)
    if unlink(p) != 0 && errno != ENOENT { throw FS.fail("unlink", p) }
  }

  /// All committed blobs.
  public func list() throws -> [BlobInfo] {
    var out: [BlobInfo] = []
    for name in try FS.listDirectory(blobsDir) {
      guard let d = Digest(sha256Hex: name), let i = info(d) else { continue }
      out.append(i)
    }
    return out.sorted { $0.digest < $1.digest }
  }
}
