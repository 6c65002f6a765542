// Files written and hashed elsewhere (a registry upload received over several requests)
// enter the store with the same guarantees as an ingest: fsync, rename, fsync the directory.
import OCI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension ContentStore {
  /// Moves `file` (on the store's filesystem) into the store as `digest`, which the caller
  /// computed from exactly the file's bytes while writing it. When the blob is already
  /// there, `file` is removed and the existing blob is touched (it counts as fresh for a
  /// grace-period GC). Either way `file` is gone afterwards.
  @discardableResult
  public func adopt(file: String, computedDigest digest: Digest) throws -> BlobInfo {
    guard digest.algorithm == "sha256" else {
      unlink(file)
      throw ContentStoreError.unsupportedAlgorithm(digest.algorithm)
    }
    let final = path(for: digest)
    if FS.status(final) != nil {
      unlink(file)
      try touch(digest)
      return info(digest) ?? BlobInfo(digest: digest, size: 0, committedAt: 0)
    }
    let fd = try FS.open(file, O_RDONLY)
    defer { close(fd) }
    try FS.fsync(fd, path: file)
    guard rename(file, final) == 0 else { throw FS.fail("rename", final) }
    try FS.fsyncDirectory(blobsDir)
    return info(digest) ?? BlobInfo(digest: digest, size: 0, committedAt: 0)
  }

  /// Sets the blob's modification time to now: a grace-period GC then keeps it, as if it
  /// had just been committed (a push that found it present is about to reference it).
  public func touch(_ digest: Digest) throws {
    let p = path(for: digest)
    if utimensat(AT_FDCWD, p, nil, 0) != 0 {
      if errno == ENOENT { throw ContentStoreError.notFound(digest) }
      throw FS.fail("utimensat", p)
    }
  }
}
