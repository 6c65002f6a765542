/// Where the daemon listens, and how to reach it: `unix:///path`, or `tcp://host:port`
/// with optional TLS (docker's `-H`, `--tls*` flags and `DOCKER_*` variables).
public struct EngineHost: Sendable, Equatable, CustomStringConvertible {
  public static let defaultSocket = "/run/berth/berth.sock"
  /// Docker's default ports for tcp:// without one.
  public static let defaultTLSPort = 2376
  public static let defaultPlainPort = 2375

  public enum Address: Sendable, Equatable {
    case unix(path: String)
    case tcp(host: String, port: Int)
  }

  public var address: Address
  /// TLS settings for a tcp:// address (nil: plain TCP).
  public var tls: TLSOptions?

  public init(address: Address, tls: TLSOptions? = nil) {
    self.address = address
    self.tls = tls
  }

  public init(socketPath: String) { self.init(address: .unix(path: socketPath)) }

  /// The unix socket's path (nil for tcp://).
  public var socketPath: String? {
    if case .unix(let path) = address { return path }
    return nil
  }

  /// Parses `unix:///path`, a bare absolute path, or `tcp://host[:port]` (the port defaults
  /// to 2376 with TLS, else 2375, as docker's).
  public init(parsing value: String, tls: TLSOptions? = nil) throws {
    self.tls = tls
    if value.hasPrefix("unix://") {
      let path = String(value.dropFirst("unix://".count))
      guard !path.isEmpty else { throw EngineClientError.badHost("invalid host \(value): empty socket path") }
      address = .unix(path: path)
    } else if value.hasPrefix("/") {
      address = .unix(path: value)
    } else if value.hasPrefix("tcp://") {
      address = try Self.parseTCP(value, defaultPort: tls == nil ? Self.defaultPlainPort : Self.defaultTLSPort)
    } else if value.hasPrefix("ssh://") || value.hasPrefix("npipe://") {
      throw EngineClientError.badHost("unsupported host \(value): berth speaks unix:// and tcp:// only")
    } else {
      throw EngineClientError.badHost("invalid host \(value): expected unix:///path or tcp://host:port")
    }
  }

  /// `tcp://host[:port][/]`, `tcp://[v6]:port`; an empty host is localhost.
  static func parseTCP(_ value: String, defaultPort: Int) throws -> Address {
    var rest = Substring(value.dropFirst("tcp://".count))
    if rest.hasSuffix("/") { rest = rest.dropLast() }
    guard !rest.contains("/"), !rest.contains("?"), !rest.contains("@") else {
      throw EngineClientError.badHost("invalid host \(value): a tcp:// host takes no path")
    }
    var host: Substring
    var portText: Substring?
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { throw EngineClientError.badHost("invalid host \(value)") }
      host = rest[rest.index(after: rest.startIndex)..<close]
      let after = rest[rest.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { throw EngineClientError.badHost("invalid host \(value)") }
        portText = after.dropFirst()
      }
    } else if let colon = rest.lastIndex(of: ":") {
      host = rest[..<colon]
      portText = rest[rest.index(after: colon)...]
    } else {
      host = rest
    }
    if host.isEmpty { host = "localhost" }
    var port = defaultPort
    if let portText, !portText.isEmpty {
      guard let p = Int(portText), (1...65535).contains(p) else {
        throw EngineClientError.badHost("invalid host \(value): invalid port \"\(portText)\"")
      }
      port = p
    }
    return .tcp(host: String(host), port: port)
  }

  /// `-H` flag, else `BERTH_HOST`, else `DOCKER_HOST`, else the default socket; TLS from
  /// `flags` and `DOCKER_TLS_VERIFY` / `DOCKER_TLS` / `DOCKER_CERT_PATH`.
  public static func resolve(
    flag: String?, tlsFlags: TLSFlags = TLSFlags(), environment: [String: String]
  ) throws -> EngineHost {
    let tls = tlsFlags.options(environment: environment)
    if let flag, !flag.isEmpty { return try EngineHost(parsing: flag, tls: tls) }
    if let value = environment["BERTH_HOST"], !value.isEmpty { return try EngineHost(parsing: value, tls: tls) }
    if let value = environment["DOCKER_HOST"], !value.isEmpty { return try EngineHost(parsing: value, tls: tls) }
    return EngineHost(socketPath: defaultSocket)
  }

  public var description: String {
    switch address {
    case .unix(let path): "unix://\(path)"
    case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
    }
  }
}
