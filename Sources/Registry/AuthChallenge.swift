// WWW-Authenticate challenges (RFC 7235): `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`.

public struct AuthChallenge: Sendable, Hashable {
  public enum Scheme: String, Sendable { case bearer, basic }
  public var scheme: Scheme
  public var parameters: [String: String]

  public var realm: String? { parameters["realm"] }
  public var service: String? { parameters["service"] }
  public var scope: String? { parameters["scope"] }

  public init(scheme: Scheme, parameters: [String: String]) {
    self.scheme = scheme
    self.parameters = parameters
  }

  /// All challenges of the header values that Berth can answer (Bearer, Basic), in order.
  public static func parse(_ headerValues: [String]) -> [AuthChallenge] {
    headerValues.flatMap(parse(header:))
  }

  /// One header value may hold several challenges: `Basic realm="x", Bearer realm="y",scope="a,b"`.
  static func parse(header: String) -> [AuthChallenge] {
    var out: [AuthChallenge] = []
    var s = Substring(header)
    var current: (String, [String: String])?
    func flush() {
      if let (name, params) = current, let scheme = Scheme(rawValue: name.lowercased()) {
        out.append(AuthChallenge(scheme: scheme, parameters: params))
      }
      current = nil
    }
    while true {
      s = s.drop { $0 == " " || $0 == "," || $0 == "\t" }
      guard !s.isEmpty else { break }
      let token = s.prefix { $0 != " " && $0 != "=" && $0 != "," }
      let rest = s[token.endIndex...]
      if rest.first == "=" {
        // key=value (quoted or token) of the current challenge.
        var v = rest.dropFirst()
        var value = ""
        if v.first == "\"" {
          v = v.dropFirst()
          while let c = v.first, c != "\"" {
            if c == "\\", let n = v.dropFirst().first {
              value.append(n)
              v = v.dropFirst(2)
            } else {
              value.append(c)
              v = v.dropFirst()
            }
          }
          v = v.dropFirst()
        } else {
          let t = v.prefix { $0 != "," && $0 != " " }
          value = String(t)
          v = v[t.endIndex...]
        }
        current?.1[token.lowercased()] = value
        s = v
      } else {
        flush()
        current = (String(token), [:])
        s = rest
      }
    }
    flush()
    return out
  }
}
