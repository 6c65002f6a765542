/// Where the daemon listens: `unix:///path` (the only transport the CLI speaks).
public struct EngineHost: Sendable, Equatable, CustomStringConvertible {
  public static let defaultSocket = "/run/berth/berth.sock"

  public var socketPath: String

  public init(socketPath: String) { self.socketPath = socketPath }

  /// Parses `unix:///path` (or a bare absolute path).
  public init(parsing value: String) throws {
    if value.hasPrefix("unix://") {
      let path = String(value.dropFirst("unix://".count))
      guard !path.isEmpty else { throw EngineClientError.badHost("invalid host \(value): empty socket path") }
      socketPath = path
    } else if value.hasPrefix("/") {
      socketPath = value
    } else if value.hasPrefix("tcp://") || value.hasPrefix("ssh://") || value.hasPrefix("npipe://") {
      throw EngineClientError.badHost("unsupported host \(value): berth speaks to its daemon over unix:// sockets only")
    } else {
      throw EngineClientError.badHost("invalid host \(value): expected unix:///path/to/socket")
    }
  }

  /// `-H` flag, else `BERTH_HOST`, else `DOCKER_HOST`, else the default socket.
  public static func resolve(flag: String?, environment: [String: String]) throws -> EngineHost {
    if let flag, !flag.isEmpty { return try EngineHost(parsing: flag) }
    if let value = environment["BERTH_HOST"], !value.isEmpty { return try EngineHost(parsing: value) }
    if let value = environment["DOCKER_HOST"], !value.isEmpty { return try EngineHost(parsing: value) }
    return EngineHost(socketPath: defaultSocket)
  }

  public var description: String { "unix://\(socketPath)" }
}
