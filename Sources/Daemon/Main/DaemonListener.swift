// Where berthd listens, from a -H value as dockerd reads it: unix:///path or
// tcp://HOST:PORT (an empty host is localhost, a missing port the Docker default).

public enum DaemonListener: Sendable, Equatable, CustomStringConvertible {
  case unix(path: String)
  case tcp(host: String, port: Int)

  /// dockerd's default ports: 2376 with TLS, 2375 without.
  public static let tlsPort = 2376
  public static let plainPort = 2375

  public init(parsing value: String, defaultPort: Int = DaemonListener.tlsPort) throws {
    if value.hasPrefix("unix://") {
      let path = String(value.dropFirst("unix://".count))
      guard path.hasPrefix("/") else {
        throw DaemonError.invalid("invalid host \(value): expected unix:///absolute/path")
      }
      self = .unix(path: path)
      return
    }
    guard value.hasPrefix("tcp://") else {
      throw DaemonError.invalid("unsupported host \(value): berthd listens on unix:///path or tcp://HOST:PORT")
    }
    var rest = Substring(value.dropFirst("tcp://".count))
    if rest.hasSuffix("/") { rest = rest.dropLast() }
    guard !rest.contains("/") else {
      throw DaemonError.invalid("invalid host \(value): a tcp:// host takes no path")
    }
    var host = ""
    var portText: Substring?
    if rest.hasPrefix("[") {
      // [IPv6]:port
      guard let close = rest.firstIndex(of: "]") else {
        throw DaemonError.invalid("invalid host \(value): unclosed [ in an IPv6 address")
      }
      host = String(rest[rest.index(after: rest.startIndex)..<close])
      let after = rest[rest.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { throw DaemonError.invalid("invalid host \(value): expected ]:PORT") }
        portText = after.dropFirst()
      }
    } else if let colon = rest.lastIndex(of: ":") {
      host = String(rest[..<colon])
      portText = rest[rest.index(after: colon)...]
    } else {
      host = String(rest)
    }
    var port = defaultPort
    if let portText, !portText.isEmpty {
      guard let p = Int(portText), (1...65535).contains(p) else {
        throw DaemonError.invalid("invalid host \(value): port must be 1-65535, got \(portText)")
      }
      port = p
    }
    self = .tcp(host: host.isEmpty ? "127.0.0.1" : host, port: port)
  }

  public var isTCP: Bool {
    if case .tcp = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .unix(let path): return "unix://\(path)"
    case .tcp(let host, let port): return host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
    }
  }
}
