// Push: each blob HEADed (skipped when present), mounted from another repository of the
// same registry when one is known to hold it, else uploaded (POST + PUT for small blobs,
// chunked PATCHes for large ones); then the manifest's stored bytes PUT under the tag.
import AsyncHTTPClient
import ContentStore
import FoundationEssentials
import Glibc
import Images
import NIOCore
import NIOHTTP1
import OCI

public struct PushedImage: Sendable {
  public var reference: ImageReference
  public var digest: Digest
  public var size: Int64
}

extension RegistryClient {
  /// Pushes the image named `reference` in `store` to its registry, under its tag.
  @discardableResult
  public func push(
    reference: ImageReference, auth: RegistryCredentials? = nil, from store: ImageStore,
    progress: ProgressHandler? = nil
  ) async throws -> PushedImage {
    let progress: ProgressHandler = progress ?? { _ in }
    let silent: ProgressHandler = { _ in }  // the config blob has no progress line
    let image = try store.image(reference.description)
    let creds = try resolveCredentials(auth, registry: reference.domain)
    guard let endpoint = try await reachableEndpoints(for: reference.domain, mirrors: false).first else {
      throw RegistryError.unreachable(registry: reference.domain, underlying: "")
    }
    let session = RegistrySession(
      client: self, endpoint: endpoint, repository: reference.path, credentials: creds,
      actions: ["pull", "push"])
    progress(ProgressEvent(status: "The push refers to repository [\(reference.name)]"))
    let manifestBytes = Array(try store.content.read(image.manifestDescriptor.digest))
    let layers = image.manifest.layers
    for layer in layers { progress(ProgressEvent(id: layer.digest.shortHex, status: ProgressEvent.preparing)) }

    let blobs = [image.manifest.config] + layers
    try await withThrowingTaskGroup(of: Void.self) { group in
      var next = 0
      func start() {
        guard next < blobs.count else { return }
        let blob = blobs[next]
        let report = next > 0 ? progress : silent
        next += 1
        group.addTask {
          try await self.pushBlob(blob, session: session, store: store.content, progress: report)
        }
      }
      for _ in 0..<min(configuration.maxConcurrentUploads, blobs.count) { start() }
      while try await group.next() != nil { start() }
    }

    let tag = reference.tag ?? ImageReference.defaultTag
    let mediaType =
      image.manifestDescriptor.mediaType.isEmpty
      ? RegistryClient.mediaType(of: manifestBytes, header: nil) : image.manifestDescriptor.mediaType
    let digest = try await putManifest(session, reference: tag, bytes: manifestBytes, mediaType: mediaType)
    try store.addRepoDigest(reference.name + "@" + digest.description, to: reference)
    progress(ProgressEvent(status: "\(tag): digest: \(digest) size: \(manifestBytes.count)"))
    return PushedImage(reference: reference, digest: digest, size: Int64(manifestBytes.count))
  }

  func pushBlob(
    _ blob: Descriptor, session: RegistrySession, store: ContentStore, progress: @escaping ProgressHandler
  ) async throws {
    let id = blob.digest.shortHex
    let registry = session.endpoint.registry
    if try await blobExists(blob.digest, session: session) {
      progress(ProgressEvent(id: id, status: ProgressEvent.layerAlreadyExists))
      rememberBlob(blob.digest, registry: registry, repository: session.repository)
      return
    }
    var uploadURL: String
    if let from = knownRepository(of: blob.digest, registry: registry), from != session.repository {
      var mountSession = session
      mountSession.extraScopes = ["repository:\(from):pull"]
      let url = session.url("/blobs/uploads/?mount=\(blob.digest)&from=\(from)")
      let resp = try await send(mountSession, .POST, url, body: { .bytes(ByteBuffer()) })
      if resp.status == .created {
        await drain(resp)
        progress(ProgressEvent(id: id, status: "Mounted from \(from)"))
        rememberBlob(blob.digest, registry: registry, repository: session.repository)
        return
      }
      guard resp.status == .accepted, let location = resp.headers.first(name: "Location") else {
        throw await failure(resp, "mounting \(blob.digest) from \(from)", session: session)
      }
      await drain(resp)
      uploadURL = Self.resolve(location, against: url)
    } else {
      uploadURL = try await startUpload(session)
    }
    progress(ProgressEvent(id: id, status: ProgressEvent.pushing, current: 0, total: blob.size))
    let path = store.path(for: blob.digest)
    guard store.info(blob.digest)?.size == blob.size else { throw ContentStoreError.notFound(blob.digest) }
    if blob.size >= configuration.chunkedUploadThreshold {
      var offset: Int64 = 0
      while offset < blob.size {
        let length = min(configuration.uploadChunkSize, blob.size - offset)
        var h = HTTPHeaders()
        h.add(name: "Content-Type", value: "application/octet-stream")
        h.add(name: "Content-Range", value: "\(offset)-\(offset + length - 1)")
        let o = offset
        let resp = try await send(
          session, .PATCH, uploadURL, headers: h,
          body: { .stream(FileChunks(path: path, offset: o, length: length), length: .known(length)) })
        guard resp.status == .accepted || resp.status == .noContent else {
          throw await failure(resp, "uploading \(blob.digest) (bytes \(offset)-)", session: session)
        }
        if let location = resp.headers.first(name: "Location") {
          uploadURL = Self.resolve(location, against: uploadURL)
        }
        await drain(resp)
        offset += length
        progress(ProgressEvent(id: id, status: ProgressEvent.pushing, current: offset, total: blob.size))
      }
      try await finishUpload(uploadURL, digest: blob.digest, session: session, length: 0, body: nil)
    } else {
      let size = blob.size
      try await finishUpload(
        uploadURL, digest: blob.digest, session: session, length: size,
        body: { .stream(FileChunks(path: path, offset: 0, length: size), length: .known(size)) })
      progress(ProgressEvent(id: id, status: ProgressEvent.pushing, current: size, total: size))
    }
    progress(ProgressEvent(id: id, status: ProgressEvent.pushed))
    rememberBlob(blob.digest, registry: registry, repository: session.repository)
  }

  func blobExists(_ digest: Digest, session: RegistrySession) async throws -> Bool {
    let resp = try await send(session, .HEAD, session.url("/blobs/\(digest)"))
    // A response body can be read once: drained here, or read by `failure`.
    switch resp.status.code {
    case 200:
      await drain(resp)
      return true
    case 404:
      await drain(resp)
      return false
    default: throw await failure(resp, "checking blob \(digest)", session: session)
    }
  }

  /// POST /blobs/uploads/ → the upload's URL.
  func startUpload(_ session: RegistrySession) async throws -> String {
    let url = session.url("/blobs/uploads/")
    let resp = try await send(session, .POST, url, body: { .bytes(ByteBuffer()) })
    guard resp.status == .accepted, let location = resp.headers.first(name: "Location") else {
      throw await failure(resp, "starting an upload to \(session.repository)", session: session)
    }
    await drain(resp)
    return Self.resolve(location, against: url)
  }

  /// PUT <upload>?digest=… (with the last bytes, or none) → 201. AsyncHTTPClient sets the
  /// Content-Length from the body.
  func finishUpload(
    _ uploadURL: String, digest: Digest, session: RegistrySession, length: Int64, body: BodyFactory?
  ) async throws {
    let sep = uploadURL.contains("?") ? "&" : "?"
    let url = uploadURL + sep + "digest=" + Self.formEscape(digest.description)
    var h = HTTPHeaders()
    h.add(name: "Content-Type", value: "application/octet-stream")
    let resp = try await send(session, .PUT, url, headers: h, body: body ?? { .bytes(ByteBuffer()) })
    guard resp.status == .created || resp.status == .noContent || resp.status == .accepted else {
      throw await failure(resp, "completing the upload of \(digest)", session: session)
    }
    await drain(resp)
  }
}

/// A file's byte range as a stream of 1 MiB buffers (a request body with backpressure).
struct FileChunks: AsyncSequence, Sendable {
  typealias Element = ByteBuffer
  let path: String
  let offset: Int64
  let length: Int64

  final class AsyncIterator: AsyncIteratorProtocol {
    let fd: Int32
    var offset: Int64
    let end: Int64
    let path: String

    init(path: String, offset: Int64, length: Int64) {
      self.path = path
      self.fd = open(path, O_RDONLY | O_CLOEXEC)
      self.offset = offset
      self.end = offset + length
    }

    deinit { if fd >= 0 { close(fd) } }

    func next() async throws -> ByteBuffer? {
      guard fd >= 0 else { throw ContentStoreError.system(op: "open", path: path, errno: errno) }
      guard offset < end else { return nil }
      let n = Int(Swift.min(1 << 20, end - offset))
      var buf = ByteBufferAllocator().buffer(capacity: n)
      let got = try buf.writeWithUnsafeMutableBytes(minimumWritableBytes: n) { p in
        let r = pread(fd, p.baseAddress, n, off_t(offset))
        guard r >= 0 else { throw ContentStoreError.system(op: "pread", path: path, errno: errno) }
        return r
      }
      guard got > 0 else {
        throw ContentStoreError.sizeMismatch(expected: end, actual: offset, digest: nil)
      }
      offset += Int64(got)
      return buf
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(path: path, offset: offset, length: length) }
}
