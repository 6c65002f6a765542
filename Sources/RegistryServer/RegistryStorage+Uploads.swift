// Blob uploads: bytes go to uploads/<id>/data, hashed as they arrive; the finishing PUT
// compares the hash with the client's digest before the ContentStore adopts the file, so
// no blob becomes visible unverified. The hash state lives in memory between requests;
// after a restart an upload's data is hashed again from disk.
import ContentStore
import Foundation
import LinuxOS
import NIOConcurrencyHelpers
import OCI

/// An upload in progress. One request at a time works on it (`claim`).
final class UploadSession: @unchecked Sendable {
  let id: String
  let repository: String
  let dataPath: String
  // Guarded by `lock`.
  private let lock = NIOLock()
  private var _offset: Int64
  private var hasher: SHA256Hasher?
  private var busy = false

  init(id: String, repository: String, dataPath: String, offset: Int64, hasher: SHA256Hasher) {
    self.id = id
    self.repository = repository
    self.dataPath = dataPath
    self._offset = offset
    self.hasher = hasher
  }

  var offset: Int64 { lock.withLock { _offset } }

  /// The spec's `Range: 0-<last byte>` ("0-0" before the first byte, as distribution).
  var rangeHeader: String { "0-\(max(0, offset - 1))" }

  /// Takes the session for one request; false when another request holds it.
  func claim() -> Bool {
    lock.withLock {
      if busy { return false }
      busy = true
      return true
    }
  }

  func release() { lock.withLock { busy = false } }

  /// Appends bytes at the current offset (only by the request holding the claim).
  func append(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    let fd = open(dataPath, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SystemError("open", errno: errno, dataPath) }
    defer { close(fd) }
    var done = 0
    let start = offset
    while done < bytes.count {
      let n = pwrite(fd, base + done, bytes.count - done, off_t(start) + off_t(done))
      if n < 0 {
        if errno == EINTR { continue }
        throw SystemError("pwrite", errno: errno, dataPath)
      }
      done += n
    }
    lock.withLock {
      hasher?.update(bytes)
      _offset += Int64(bytes.count)
    }
  }

  /// Ends the hash; the session cannot take more bytes afterwards.
  func finalizeDigest() -> Digest? {
    lock.withLock {
      let d = hasher?.finalize()
      hasher = nil
      return d
    }
  }
}

extension RegistryStorage {
  func uploadDir(_ id: String) -> String { "\(uploadsDir)/\(id)" }

  /// Starts an upload into `repository`.
  func startUpload(_ repository: String) throws -> UploadSession {
    let id = RegistryNames.makeUploadID()
    let dir = uploadDir(id)
    try Files.makeDirectories(dir)
    try Files.writeAtomically(dir + "/repository", Array(repository.utf8), durable: false)
    let data = dir + "/data"
    let fd = open(data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SystemError("open", errno: errno, data) }
    close(fd)
    let session = UploadSession(
      id: id, repository: repository, dataPath: data, offset: 0, hasher: SHA256Hasher())
    sessions.withLockedValue { $0[id] = session }
    return session
  }

  /// The upload `id` of `repository`, from memory or (after a restart) from disk.
  func upload(_ id: String, repository: String) throws -> UploadSession {
    guard RegistryNames.isValidUploadID(id) else { throw RegistryError.blobUploadUnknown(id) }
    if let s = sessions.withLockedValue({ $0[id] }) {
      guard s.repository == repository else { throw RegistryError.blobUploadUnknown(id) }
      return s
    }
    let dir = uploadDir(id)
    guard readString(dir + "/repository") == repository else { throw RegistryError.blobUploadUnknown(id) }
    let data = dir + "/data"
    let hasher = SHA256Hasher()
    var size: Int64 = 0
    let fd = open(data, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw RegistryError.blobUploadUnknown(id) }
    defer { close(fd) }
    let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buf.deallocate() }
    while true {
      let n = read(fd, buf.baseAddress, buf.count)
      if n < 0 && errno == EINTR { continue }
      if n < 0 { throw SystemError("read", errno: errno, data) }
      if n == 0 { break }
      hasher.update(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
      size += Int64(n)
    }
    let session = UploadSession(id: id, repository: repository, dataPath: data, offset: size, hasher: hasher)
    return sessions.withLockedValue { table in
      if let other = table[id] { return other }
      table[id] = session
      return session
    }
  }

  /// Verifies the upload against `expected`, commits it to the store and links it into
  /// the repository. A mismatch cancels the upload (its bytes are gone).
  func finishUpload(_ session: UploadSession, expected: Digest) throws -> BlobInfo {
    defer { cancelUpload(session) }
    guard let actual = session.finalizeDigest() else {
      throw RegistryError.blobUploadInvalid("upload \(session.id) was already finished")
    }
    guard actual == expected else {
      throw RegistryError.digestInvalid("the upload hashes to \(actual), not \(expected)")
    }
    let info = try blobs.adopt(file: session.dataPath, computedDigest: actual)
    try linkBlob(session.repository, actual)
    return info
  }

  /// Forgets an upload and removes its files.
  func cancelUpload(_ session: UploadSession) {
    sessions.withLockedValue { $0[session.id] = nil }
    do {
      try Files.removeTree(uploadDir(session.id))
    } catch {
      registryLog("remove upload \(session.id): \(error)")
    }
  }

  /// Uploads nobody touched for `age` seconds (abandoned pushes), removed by the GC.
  func removeStaleUploads(olderThan age: Int64) -> [String] {
    let now = Int64(time(nil))
    var removed: [String] = []
    for id in list(uploadsDir) {
      var st = stat()
      guard stat(uploadDir(id) + "/data", &st) == 0 || stat(uploadDir(id), &st) == 0 else { continue }
      guard now - Int64(st.st_mtim.tv_sec) >= age else { continue }
      if sessions.withLockedValue({ $0[id] }).map({ !$0.claim() }) ?? false { continue }  // busy right now
      sessions.withLockedValue { $0[id] = nil }
      do {
        try Files.removeTree(uploadDir(id))
        removed.append(id)
      } catch {
        registryLog("remove stale upload \(id): \(error)")
      }
    }
    return removed
  }
}
