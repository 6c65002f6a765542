// The registry's disk layout under its root:
//   blobs/sha256/<hex>, ingest/                       the ContentStore (verified, atomic)
//   uploads/<id>/{data,repository}                    uploads in progress
//   repositories/<name>/_layers/sha256/<hex>          blobs linked into the repository
//   repositories/<name>/_manifests/revisions/sha256/<hex>   a manifest (content: media type)
//   repositories/<name>/_manifests/tags/<tag>         a tag (content: the manifest digest)
//   repositories/<name>/_referrers/sha256/<subject>/<hex>   a referrer's descriptor (JSON)
//   gc.lock                                           manifest writes (shared) vs GC (exclusive)
// Every file is written to a unique temporary name and renamed: concurrent writers of one
// tag leave the last writer's content, never a torn file. Names start with `_` where a
// repository path component never can, so `a` and `a/_layers` cannot collide.
import ContentStore
import Foundation
import LinuxOS
import NIOConcurrencyHelpers
import OCI

public final class RegistryStorage: Sendable {
  public let root: String
  public let blobs: ContentStore
  let uploadsDir: String
  let repositoriesDir: String
  let lockPath: String
  /// Uploads this process knows (their hash state lives here between requests).
  let sessions = NIOLockedValueBox<[String: UploadSession]>([:])

  public init(root: String) throws {
    self.root = root
    self.blobs = try ContentStore(root: root)
    self.uploadsDir = root + "/uploads"
    self.repositoriesDir = root + "/repositories"
    self.lockPath = root + "/gc.lock"
    try Files.makeDirectories(uploadsDir)
    try Files.makeDirectories(repositoriesDir)
  }

  func repositoryDir(_ name: String) -> String { "\(repositoriesDir)/\(name)" }
  func layerLink(_ name: String, _ digest: Digest) -> String {
    "\(repositoryDir(name))/_layers/\(digest.algorithm)/\(digest.encoded)"
  }
  func revisionLink(_ name: String, _ digest: Digest) -> String {
    "\(repositoryDir(name))/_manifests/revisions/\(digest.algorithm)/\(digest.encoded)"
  }
  func tagsDir(_ name: String) -> String { "\(repositoryDir(name))/_manifests/tags" }
  func referrersDir(_ name: String, _ subject: Digest) -> String {
    "\(repositoryDir(name))/_referrers/\(subject.algorithm)/\(subject.encoded)"
  }

  /// A repository exists once something was pushed or mounted into it.
  public func repositoryExists(_ name: String) -> Bool {
    Files.isDirectory(repositoryDir(name) + "/_manifests") || Files.isDirectory(repositoryDir(name) + "/_layers")
  }

  // MARK: Blobs of a repository

  /// The blob when it is linked into `repository` and present in the store.
  public func blob(_ repository: String, _ digest: Digest) -> BlobInfo? {
    guard Files.exists(layerLink(repository, digest)) else { return nil }
    return blobs.info(digest)
  }

  func linkBlob(_ repository: String, _ digest: Digest) throws {
    let link = layerLink(repository, digest)
    if Files.exists(link) { return }
    try writeAtomically(link, [])
  }

  /// Cross-repository mount: links a blob of `from` into `repository`. False when `from`
  /// does not have it.
  public func mountBlob(_ digest: Digest, from: String, into repository: String) throws -> Bool {
    guard blob(from, digest) != nil else { return false }
    // A push that mounts is about to reference the blob: fresh for the GC's grace period.
    try blobs.touch(digest)
    try linkBlob(repository, digest)
    return true
  }

  /// Unlinks a blob from a repository (the bytes go at the next GC when nothing uses them).
  /// False when the repository did not have it.
  public func deleteBlob(_ repository: String, _ digest: Digest) throws -> Bool {
    let link = layerLink(repository, digest)
    guard Files.exists(link) else { return false }
    try removeFile(link)
    return true
  }

  /// Existence checks by a pusher refresh the blob: the push will reference it soon.
  func touchForPush(_ digest: Digest) {
    do {
      try blobs.touch(digest)
    } catch {
      // The blob vanished between the check and now; the caller's answer was already given.
      registryLog("touch \(digest): \(error)")
    }
  }

  // MARK: Files

  func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
    try Files.makeDirectories(Files.parent(of: path))
    try Files.writeAtomically(path, bytes, temporary: "\(path).tmp-\(UInt64.random(in: 0...UInt64.max))")
  }

  func removeFile(_ path: String) throws {
    if unlink(path) != 0 && errno != ENOENT {
      throw SystemError("unlink", errno: errno, path)
    }
  }

  func readString(_ path: String) -> String? {
    guard Files.exists(path) else { return nil }
    do {
      return try Files.readString(path).trimmingCharacters(in: .whitespacesAndNewlines)
    } catch {
      registryLog("read \(path): \(error)")
      return nil
    }
  }

  /// Names in a directory, empty when it does not exist; temporary files left out.
  func list(_ dir: String) -> [String] {
    guard Files.isDirectory(dir) else { return [] }
    do {
      return try Files.list(dir).filter { !$0.contains(".tmp-") }
    } catch {
      registryLog("list \(dir): \(error)")
      return []
    }
  }

  /// Runs `body` holding gc.lock: shared for writers of manifests, exclusive for the GC
  /// (flock: also excludes a `berth-registry gc` run by another process).
  func withGCLock<R>(exclusive: Bool, _ body: () throws -> R) throws -> R {
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SystemError("open", errno: errno, lockPath) }
    defer { close(fd) }
    while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
      if errno != EINTR { throw SystemError("flock", errno: errno, lockPath) }
    }
    return try body()
  }
}

/// One line on stderr: the registry's log (the library has no logger dependency).
func registryLog(_ message: String) {
  let line = "berth-registry: \(message)\n"
  line.utf8CString.withUnsafeBufferPointer { p in
    _ = write(2, p.baseAddress, max(0, p.count - 1))
  }
}
