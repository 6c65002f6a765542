/// What went wrong talking to, or inside, a shim.
public enum ShimError: Error, CustomStringConvertible, Equatable {
  /// The OCI runtime failed; the message is the runtime's own error.
  case runtime(String)
  /// The shim answered a request with an error.
  case request(String)
  /// A peer broke the wire format.
  case protocolViolation(String)
  /// The shim is gone (or never started) and left no exit status.
  case unavailable(String)
  case invalidArgument(String)

  public var description: String {
    switch self {
    case .runtime(let message): "runtime: \(message)"
    case .request(let message): message
    case .protocolViolation(let message): "shim protocol: \(message)"
    case .unavailable(let message): message
    case .invalidArgument(let message): message
    }
  }
}
