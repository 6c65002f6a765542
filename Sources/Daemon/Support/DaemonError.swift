// Errors the daemon reports, each with the kind Docker's API maps to a status code
// (404, 409, 400, 501, 500) and a message in Docker's own words where one exists.

public struct DaemonError: Error, CustomStringConvertible, Equatable, Sendable {
  public enum Kind: String, Sendable {
    /// 404
    case notFound
    /// 409
    case conflict
    /// 400
    case invalidParameter
    /// 501: a documented Docker feature Berth does not have yet.
    case notImplemented
    /// 500
    case system
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }

  public static func notFound(_ message: String) -> DaemonError { DaemonError(.notFound, message) }
  public static func conflict(_ message: String) -> DaemonError { DaemonError(.conflict, message) }
  public static func invalid(_ message: String) -> DaemonError {
    DaemonError(.invalidParameter, message)
  }
  public static func notSupported(_ message: String) -> DaemonError {
    DaemonError(.notImplemented, message)
  }
  public static func system(_ message: String) -> DaemonError { DaemonError(.system, message) }

  public static func noSuchContainer(_ ref: String) -> DaemonError {
    .notFound("No such container: \(ref)")
  }
}
