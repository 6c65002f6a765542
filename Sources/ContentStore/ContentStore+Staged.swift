// Staged blobs: a temp file in ingest/ written at any offset (ranged, concurrent, resumed
// downloads), then verified as a whole and committed like any ingest. Nothing reaches
// blobs/ unless its size and digest match.
import OCI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A blob being assembled out of order. `write(_:at:)` may be called from several threads
/// at once for disjoint ranges; `commit` and `discard` end it (one of them exactly once).
public final class StagedBlob: @unchecked Sendable {
  public let path: String
  let fd: Int32
  let store: ContentStore

  init(store: ContentStore, path: String, fd: Int32) {
    self.store = store
    self.path = path
    self.fd = fd
  }

  /// Writes `bytes` at `offset` (pwrite, retried on EINTR and short writes).
  public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
    guard var p = bytes.baseAddress else { return }
    var left = bytes.count
    var off = off_t(offset)
    while left > 0 {
      let n = pwrite(fd, p, left, off)
      if n < 0 {
        if errno == EINTR { continue }
        throw FS.fail("pwrite", path)
      }
      p += n
      left -= n
      off += off_t(n)
    }
  }

  /// Drops everything from `length` on (a restarted download).
  public func truncate(to length: Int64) throws {
    while ftruncate(fd, off_t(length)) != 0 {
      if errno != EINTR { throw FS.fail("ftruncate", path) }
    }
  }

  /// Hashes the whole file, checks size and digest, fsyncs and renames it into the store.
  /// On any failure the temp file is removed and nothing is stored.
  @discardableResult
  public func commit(expected: Digest, expectedSize: Int64?) throws -> BlobInfo {
    defer { discard() }
    if expected.algorithm != "sha256" { throw ContentStoreError.unsupportedAlgorithm(expected.algorithm) }
    let hasher = SHA256Hasher()
    let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buf.deallocate() }
    var size: Int64 = 0
    while true {
      let n = pread(fd, buf.baseAddress, buf.count, off_t(size))
      if n < 0 {
        if errno == EINTR { continue }
        throw FS.fail("pread", path)
      }
      if n == 0 { break }
      hasher.update(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
      size += Int64(n)
    }
    if let expectedSize, expectedSize != size {
      throw ContentStoreError.sizeMismatch(expected: expectedSize, actual: size, digest: expected)
    }
    let digest = hasher.finalize()
    guard digest == expected else {
      throw ContentStoreError.digestMismatch(expected: expected, actual: digest)
    }
    if let existing = store.info(digest), existing.size == size { return existing }
    try FS.fsync(fd, path: path)
    let final = store.path(for: digest)
    guard rename(path, final) == 0 else { throw FS.fail("rename", final) }
    try FS.fsyncDirectory(store.blobsDir)
    return store.info(digest) ?? BlobInfo(digest: digest, size: size, committedAt: 0)
  }

  /// Closes and removes the temp file (after a commit it is already gone).
  public func discard() {
    guard !closed else { return }
    closed = true
    close(fd)
    unlink(path)  // ENOENT after a successful rename is expected
  }

  private var closed = false
}

extension ContentStore {
  /// A new empty staged blob in ingest/ (removed by `removeStaleIngests` if a crash leaves it).
  public func stage() throws -> StagedBlob {
    let path = ingestDir + "/" + Self.uniqueName()
    let fd = try FS.open(path, O_RDWR | O_CREAT | O_EXCL, 0o644)
    return StagedBlob(store: self, path: path, fd: fd)
  }
}
