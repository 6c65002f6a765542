// GET/HEAD/DELETE /v2/<name>/blobs/<digest>, with single byte ranges (206 + Content-Range).
import ContentStore
import NIOHTTP1
import OCI

#if canImport(Glibc)
  import Glibc
#endif

extension RegistryHandlers {
  func getBlob(_ request: RegistryRequest, _ name: String, _ digestText: String) async throws -> RegistryResponse {
    let digest = try parseDigest(digestText)
    let storage = self.storage
    var info = try await io { storage.blob(name, digest) }
    if info == nil, let proxy { info = try await proxy.fetchBlob(name, digest) }
    guard let info else { throw RegistryError.blobUnknown(digest.string) }
    if request.method == .HEAD { try await io { storage.touchForPush(digest) } }

    var status = HTTPResponseStatus.ok
    var offset: Int64 = 0
    var length = info.size
    var headers = [
      ("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", digest.string),
      ("Accept-Ranges", "bytes"), ("ETag", "\"\(digest.string)\""),
    ]
    if let range = request.header("Range") {
      switch Self.parseRange(range, size: info.size) {
      case .whole: break
      case .unsatisfiable:
        var e = RegistryError.rangeInvalid("\(range) is outside the blob's \(info.size) bytes")
        e.headers = [("Content-Range", "bytes */\(info.size)")]
        throw e
      case .part(let first, let last):
        status = .partialContent
        offset = first
        length = last - first + 1
        headers.append(("Content-Range", "bytes \(first)-\(last)/\(info.size)"))
      }
    }
    if request.method == .HEAD {
      headers.append(("Content-Length", "\(length)"))
      return RegistryResponse(status, headers: headers)
    }
    let fd = try await io { try storage.blobs.openFD(digest) }
    return RegistryResponse(status, headers: headers, body: .file(fd: fd, offset: offset, length: length))
  }

  enum ByteRange: Equatable {
    case whole
    case unsatisfiable
    case part(Int64, Int64)
  }

  /// `bytes=a-b`, `bytes=a-`, `bytes=-n` (RFC 9110 14.1.2). Several ranges or a malformed
  /// header are answered with the whole blob, which the RFC allows.
  static func parseRange(_ header: String, size: Int64) -> ByteRange {
    let h = header.trimmingCharacters(in: .whitespaces)
    guard h.hasPrefix("bytes="), !h.contains(",") else { return .whole }
    let spec = h.dropFirst(6)
    guard let dash = spec.firstIndex(of: "-") else { return .whole }
    let a = spec[..<dash].trimmingCharacters(in: .whitespaces)
    let b = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
    if a.isEmpty {
      guard let n = Int64(b) else { return .whole }
      guard n > 0, size > 0 else { return .unsatisfiable }
      return .part(max(0, size - n), size - 1)
    }
    guard let first = Int64(a) else { return .whole }
    let last = b.isEmpty ? size - 1 : (Int64(b) ?? -1)
    guard last >= first || b.isEmpty else { return .whole }
    guard first < size else { return .unsatisfiable }
    return .part(first, min(last, size - 1))
  }

  func deleteBlob(_ name: String, _ digestText: String) async throws -> RegistryResponse {
    try requireDelete()
    let digest = try parseDigest(digestText)
    let storage = self.storage
    guard try await io({ try storage.deleteBlob(name, digest) }) else {
      throw RegistryError.blobUnknown(digest.string)
    }
    return RegistryResponse(.accepted, headers: [("Docker-Content-Digest", digest.string)])
  }
}
