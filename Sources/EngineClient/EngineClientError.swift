/// What went wrong talking to the daemon.
public enum EngineClientError: Error, CustomStringConvertible, Equatable {
  /// The daemon answered with an error status and `{"message": …}`.
  case daemon(status: Int, message: String)
  /// The socket could not be reached.
  case cannotConnect(host: String, reason: String)
  /// The connection broke or the daemon spoke something that is not HTTP.
  case protocolError(String)
  /// A bad `DOCKER_HOST` / `BERTH_HOST` value.
  case badHost(String)
  /// TLS could not be set up (library, certificate or key files).
  case tls(String)

  public var description: String {
    switch self {
    case .daemon(_, let message): "Error response from daemon: \(message)"
    case .cannotConnect(let host, _):
      "Cannot connect to the berth daemon at \(host). Is the berth daemon running?"
    case .protocolError(let m): "error during connect: \(m)"
    case .badHost(let m), .tls(let m): m
    }
  }

  /// The daemon's message (for `.daemon`), else the description.
  public var message: String {
    if case .daemon(_, let message) = self { return message }
    return description
  }

  public var statusCode: Int? {
    if case .daemon(let status, _) = self { return status }
    return nil
  }
}
