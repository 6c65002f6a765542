// Blob uploads: POST (start, monolithic ?digest=, cross-repository ?mount=&from=), PATCH
// (with Content-Range, or dockerd's streamed body with neither Content-Range nor
// Content-Length), PUT ?digest= (finish, optional last chunk), GET (status), DELETE.
import ContentStore
import NIOCore
import NIOHTTP1
import OCI

extension RegistryHandlers {
  static let writeChunk = 1 << 20

  func startUpload(_ request: RegistryRequest, _ body: RequestBody, _ name: String) async throws -> RegistryResponse {
    let storage = self.storage
    if let mount = request.query["mount"] {
      let digest = try parseDigest(mount)
      if let from = request.query["from"], RegistryNames.isValidRepository(from),
        authenticator?.check(
          authorization: request.header("Authorization"), access: .repository(from, actions: ["pull"]))
          == nil,
        try await io({ try storage.mountBlob(digest, from: from, into: name) })
      {
        try await body.drain()
        return RegistryResponse(
          .created,
          headers: [("Location", "/v2/\(name)/blobs/\(digest.string)"), ("Docker-Content-Digest", digest.string)])
      }
      // Not mountable: an ordinary upload starts (the spec's 202).
    }
    if let digestText = request.query["digest"] {
      let digest = try parseDigest(digestText)
      let session = try await io { try storage.startUpload(name) }
      do {
        try await receive(body, into: session)
      } catch {
        try await io { storage.cancelUpload(session) }
        throw error
      }
      return try await finish(session, digest, name)
    }
    try await body.drain()
    let session = try await io { try storage.startUpload(name) }
    return RegistryResponse(.accepted, headers: uploadHeaders(session, name))
  }

  func uploadHeaders(_ session: UploadSession, _ name: String) -> [(String, String)] {
    [
      ("Location", "/v2/\(name)/blobs/uploads/\(session.id)"), ("Range", session.rangeHeader),
      ("Docker-Upload-UUID", session.id),
    ]
  }

  /// The session of `id`, claimed for this request (released by the caller).
  func claim(_ name: String, _ id: String, _ body: RequestBody) async throws -> UploadSession {
    let storage = self.storage
    let session: UploadSession
    do {
      session = try await io { try storage.upload(id, repository: name) }
    } catch {
      try await body.drain()
      throw error
    }
    guard session.claim() else {
      try await body.drain()
      var e = RegistryError.rangeInvalid("another request is writing to upload \(id)")
      e.headers = uploadHeaders(session, name)
      throw e
    }
    return session
  }

  /// Checks a Content-Range (`a-b`, inclusive) against the upload's offset and the body's length.
  func checkContentRange(_ request: RegistryRequest, _ session: UploadSession, _ name: String, _ body: RequestBody)
    async throws
  {
    guard let header = request.header("Content-Range") else { return }
    var text = Substring(header.trimmingCharacters(in: .whitespaces))
    if text.hasPrefix("bytes") { text = text.dropFirst(5).drop { $0 == " " || $0 == "=" } }
    let parts = text.split(separator: "-")
    guard parts.count == 2, let first = Int64(parts[0]), let last = Int64(parts[1].split(separator: "/")[0]),
      last >= first
    else {
      try await body.drain()
      throw RegistryError.rangeInvalid("malformed Content-Range \(header)")
    }
    guard first == session.offset else {
      try await body.drain()
      var e = RegistryError.rangeInvalid(
        "the chunk starts at \(first), the upload has \(session.offset) bytes: chunks go in order")
      e.headers = uploadHeaders(session, name)
      throw e
    }
    if let length = request.contentLength, length != last - first + 1 {
      try await body.drain()
      throw RegistryError.sizeInvalid("Content-Range \(header) is \(last - first + 1) bytes, Content-Length \(length)")
    }
  }

  /// Appends the body to the upload, in writes of up to a megabyte on the thread pool.
  func receive(_ body: RequestBody, into session: UploadSession) async throws {
    var pending = ByteBuffer()
    func flush() async throws {
      guard pending.readableBytes > 0 else { return }
      let buffer = pending
      pending = ByteBuffer()
      try await io { try buffer.withUnsafeReadableBytes { try session.append($0) } }
    }
    while var chunk = try await body.next() {
      if pending.readableBytes == 0 && chunk.readableBytes >= Self.writeChunk {
        pending = chunk
      } else {
        pending.writeBuffer(&chunk)
      }
      if pending.readableBytes >= Self.writeChunk { try await flush() }
    }
    try await flush()
  }

  func patchUpload(_ request: RegistryRequest, _ body: RequestBody, _ name: String, _ id: String) async throws
    -> RegistryResponse
  {
    let session = try await claim(name, id, body)
    defer { session.release() }
    try await checkContentRange(request, session, name, body)
    try await receive(body, into: session)
    return RegistryResponse(.accepted, headers: uploadHeaders(session, name))
  }

  func finishUpload(_ request: RegistryRequest, _ body: RequestBody, _ name: String, _ id: String) async throws
    -> RegistryResponse
  {
    guard let digestText = request.query["digest"] else {
      try await body.drain()
      throw RegistryError.digestInvalid("the closing PUT needs ?digest=<digest of the whole blob>")
    }
    let digest: Digest
    do {
      digest = try parseDigest(digestText)
    } catch {
      try await body.drain()
      throw error
    }
    let session = try await claim(name, id, body)
    defer { session.release() }
    try await checkContentRange(request, session, name, body)
    try await receive(body, into: session)
    return try await finish(session, digest, name)
  }

  private func finish(_ session: UploadSession, _ digest: Digest, _ name: String) async throws -> RegistryResponse {
    let storage = self.storage
    _ = try await io { try storage.finishUpload(session, expected: digest) }
    return RegistryResponse(
      .created, headers: [("Location", "/v2/\(name)/blobs/\(digest.string)"), ("Docker-Content-Digest", digest.string)])
  }

  func uploadStatus(_ name: String, _ id: String) async throws -> RegistryResponse {
    let storage = self.storage
    let session = try await io { try storage.upload(id, repository: name) }
    return RegistryResponse(.noContent, headers: uploadHeaders(session, name))
  }

  func cancelUpload(_ name: String, _ id: String) async throws -> RegistryResponse {
    let storage = self.storage
    try await io {
      let session = try storage.upload(id, repository: name)
      storage.cancelUpload(session)
    }
    return RegistryResponse(.noContent)
  }
}
