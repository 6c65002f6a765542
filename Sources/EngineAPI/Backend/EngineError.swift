/// An error the engine answers with; the HTTP layer maps it to a status and `{"message": …}`.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 404, e.g. "No such container: x", "No such image: busybox:latest".
  case notFound(String)
  /// 409, e.g. a name already in use, removing a running container.
  case conflict(String)
  /// 400, a malformed or invalid request.
  case badParameter(String)
  /// 501, a feature not implemented (yet).
  case notImplemented(String)
  /// 500.
  case `internal`(String)
  /// 304, e.g. starting a container that is already started (no body).
  case notModified(String)
  /// 403, e.g. an operation that is forbidden in the current state.
  case forbidden(String)
  /// 503, e.g. the swarm endpoints of an engine that is not in a swarm.
  case unavailable(String)
  /// 401, e.g. credentials a registry refused at `docker login`.
  case unauthorized(String)

  public var statusCode: Int {
    switch self {
    case .notFound: 404
    case .conflict: 409
    case .badParameter: 400
    case .notImplemented: 501
    case .internal: 500
    case .notModified: 304
    case .forbidden: 403
    case .unavailable: 503
    case .unauthorized: 401
    }
  }

  public var message: String {
    switch self {
    case .notFound(let m), .conflict(let m), .badParameter(let m), .notImplemented(let m), .internal(let m),
      .notModified(let m), .forbidden(let m), .unavailable(let m), .unauthorized(let m):
      m
    }
  }

  public var description: String { message }
}
