// The distribution spec's error body: {"errors":[{"code":…,"message":…,"detail":…}]}.
import JSONCoding
import NIOHTTP1

/// One failed request: the HTTP status and the spec's error code, message and detail.
public struct RegistryError: Error, CustomStringConvertible, Sendable {
  public var status: HTTPResponseStatus
  public var code: String
  public var message: String
  public var detail: String?
  /// Extra response headers (WWW-Authenticate, Range on a 416).
  public var headers: [(String, String)] = []

  public init(_ status: HTTPResponseStatus, _ code: String, _ message: String, detail: String? = nil) {
    self.status = status
    self.code = code
    self.message = message
    self.detail = detail
  }

  public var description: String {
    "\(status.code) \(code): \(message)\(detail.map { " (\($0))" } ?? "")"
  }

  struct Entry: Codable {
    var code: String
    var message: String
    var detail: String?
  }
  struct Body: Codable {
    var errors: [Entry]
  }

  var jsonBody: [UInt8] {
    let body = Body(errors: [Entry(code: code, message: message, detail: detail)])
    // Encoding three strings cannot fail; an empty body is still a valid 4xx.
    return (try? JSON.encode(body)) ?? []
  }

  static func blobUnknown(_ digest: String) -> RegistryError {
    RegistryError(.notFound, "BLOB_UNKNOWN", "blob unknown to registry", detail: digest)
  }
  static func blobUploadUnknown(_ id: String) -> RegistryError {
    RegistryError(.notFound, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", detail: id)
  }
  static func blobUploadInvalid(_ why: String) -> RegistryError {
    RegistryError(.badRequest, "BLOB_UPLOAD_INVALID", "blob upload invalid", detail: why)
  }
  static func digestInvalid(_ why: String) -> RegistryError {
    RegistryError(.badRequest, "DIGEST_INVALID", "provided digest did not match uploaded content", detail: why)
  }
  static func manifestBlobUnknown(_ digest: String) -> RegistryError {
    RegistryError(
      .badRequest, "MANIFEST_BLOB_UNKNOWN", "manifest references a manifest or blob unknown to registry",
      detail: digest)
  }
  static func manifestInvalid(_ why: String) -> RegistryError {
    RegistryError(.badRequest, "MANIFEST_INVALID", "manifest invalid", detail: why)
  }
  static func manifestUnknown(_ reference: String) -> RegistryError {
    RegistryError(.notFound, "MANIFEST_UNKNOWN", "manifest unknown to registry", detail: reference)
  }
  static func nameInvalid(_ name: String) -> RegistryError {
    RegistryError(.badRequest, "NAME_INVALID", "invalid repository name", detail: name)
  }
  static func nameUnknown(_ name: String) -> RegistryError {
    RegistryError(.notFound, "NAME_UNKNOWN", "repository name not known to registry", detail: name)
  }
  static func tagInvalid(_ tag: String) -> RegistryError {
    RegistryError(.badRequest, "TAG_INVALID", "manifest tag did not match URI", detail: tag)
  }
  static func sizeInvalid(_ why: String) -> RegistryError {
    RegistryError(.badRequest, "SIZE_INVALID", "provided length did not match content length", detail: why)
  }
  static func unsupported(_ why: String, status: HTTPResponseStatus = .methodNotAllowed) -> RegistryError {
    RegistryError(status, "UNSUPPORTED", "the operation is unsupported", detail: why)
  }
  static func rangeInvalid(_ why: String) -> RegistryError {
    RegistryError(.rangeNotSatisfiable, "RANGE_INVALID", "invalid content range", detail: why)
  }
  static func denied(_ why: String) -> RegistryError {
    RegistryError(.forbidden, "DENIED", "requested access to the resource is denied", detail: why)
  }
  static func unauthorized(challenge: String, _ why: String = "authentication required") -> RegistryError {
    var e = RegistryError(.unauthorized, "UNAUTHORIZED", "authentication required", detail: why)
    e.headers = [("WWW-Authenticate", challenge)]
    return e
  }
  static func notFound(_ path: String) -> RegistryError {
    RegistryError(.notFound, "NOT_FOUND", "no such endpoint", detail: path)
  }
  static func internalError(_ error: any Error) -> RegistryError {
    RegistryError(.internalServerError, "UNKNOWN", "internal error", detail: "\(error)")
  }
}
