// Transactional ingest: temp file in <root>/ingest → hash while writing → verify digest
// and size → fsync → rename to blobs/sha256/<hex> → fsync the directory.
import FoundationEssentials
import OCI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Receives the bytes of one blob being ingested. Buffered; hashes as it goes.
public final class IngestWriter {
  let fd: Int32
  let path: String
  let hasher = SHA256Hasher()
  let limit: Int64?
  let expectedSize: Int64?
  let expected: Digest?
  private(set) public var written: Int64 = 0
  private var buffer: UnsafeMutableRawBufferPointer
  private var buffered = 0

  init(fd: Int32, path: String, limit: Int64?, expectedSize: Int64?, expected: Digest?) {
    self.fd = fd
    self.path = path
    self.limit = limit
    self.expectedSize = expectedSize
    self.expected = expected
    self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
  }

  deinit { buffer.deallocate() }

  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard bytes.count > 0 else { return }
    hasher.update(bytes)
    written += Int64(bytes.count)
    if let expectedSize, written > expectedSize {
      throw ContentStoreError.sizeMismatch(
        expected: expectedSize, actual: written, digest: expected)
    }
    if let limit, written > limit { throw ContentStoreError.tooLarge(limit: limit) }
    if bytes.count >= buffer.count / 2 {
      try flush()
      try FS.writeAll(fd, bytes, path: path)
      return
    }
    if buffered + bytes.count > buffer.count { try flush() }
    UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + bytes.count)]).copyMemory(
      from: bytes)
    buffered += bytes.count
  }

  public func write(_ bytes: some ContiguousBytes) throws {
    try bytes.withUnsafeBytes { p in try write(p) }
  }

  func flush() throws {
    guard buffered > 0 else { return }
    try FS.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]), path: path)
    buffered = 0
  }
}

extension ContentStore {
  /// Ingests one blob whose bytes `produce` writes. If `expected` is given the bytes must
  /// hash to it (and be `expectedSize` long when given), otherwise nothing is committed.
  /// Safe to run concurrently, also for the same blob: each ingest has its own temp file
  /// and the final rename is atomic.
  @discardableResult
  public func ingest(
    expected: Digest? = nil, expectedSize: Int64? = nil, limit: Int64? = nil,
    _ produce: (IngestWriter) throws -> Void
  ) throws -> BlobInfo {
    if let expected, expected.algorithm != "sha256" {
      throw ContentStoreError.unsupportedAlgorithm(expected.algorithm)
    }
    let tmp = ingestDir + "/" + Self.uniqueName()
    let fd = try FS.open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    var committed = false
    defer {
      close(fd)
      if !committed { unlink(tmp) }
    }
    let w = IngestWriter(
      fd: fd, path: tmp, limit: limit, expectedSize: expectedSize, expected: expected)
    try produce(w)
    try w.flush()
    let digest = w.hasher.finalize()
    if let expectedSize, expectedSize != w.written {
      throw ContentStoreError.sizeMismatch(
        expected: expectedSize, actual: w.written, digest: expected)
    }
    if let expected, expected != digest {
      throw ContentStoreError.digestMismatch(expected: expected, actual: digest)
    }
    let final = path(for: digest)
    if let existing = info(digest), existing.size == w.written {
      return existing  // someone else committed the same bytes; drop ours
    }
    try FS.fsync(fd, path: tmp)
    guard rename(tmp, final) == 0 else { throw FS.fail("rename", final) }
    committed = true
    try FS.fsyncDirectory(blobsDir)
    return info(digest) ?? BlobInfo(digest: digest, size: w.written, committedAt: 0)
  }

  /// Ingests a byte buffer.
  @discardableResult
  public func put(_ bytes: some ContiguousBytes, expected: Digest? = nil) throws -> BlobInfo {
    try ingest(expected: expected) { w in try w.write(bytes) }
  }

  /// Ingests everything readable from `fd` (a file, pipe or socket) until end of file.
  @discardableResult
  public func ingest(fd src: Int32, expected: Digest? = nil, expectedSize: Int64? = nil) throws
    -> BlobInfo
  {
    try ingest(expected: expected, expectedSize: expectedSize) { w in
      let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
      defer { buf.deallocate() }
      while true {
        let n = try FS.read(src, buf, path: "<fd \(src)>")
        if n == 0 { break }
        try w.write(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
      }
    }
  }

  /// Removes temp files in ingest/ older than `age` seconds (left by a crash).
  @discardableResult
  public func removeStaleIngests(olderThan age: Int64 = 3600) throws -> Int {
    let now = Int64(time(nil))
    var removed = 0
    for name in try FS.listDirectory(ingestDir) {
      let p = ingestDir + "/" + name
      guard let st = FS.status(p), now - Int64(st.st_mtim.tv_sec) >= age else { continue }
      if unlink(p) == 0 { removed += 1 }
    }
    return removed
  }

  static func uniqueName() -> String {
    "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
  }
}
