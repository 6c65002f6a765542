// Image references, parsed and normalised like Docker's distribution/reference:
// "busybox" → docker.io/library/busybox:latest, "host:5000/a/b@sha256:…", tag + digest.
import OCI

public enum ImageReferenceError: Error, Equatable, CustomStringConvertible {
  case empty
  case invalidFormat(String)
  case uppercaseRepository(String)
  case nameTooLong(String)
  case invalidTag(String)
  case invalidDigest(String)
  case ambiguousHexID(String)

  public var description: String {
    switch self {
    case .empty: return "invalid reference format: empty reference"
    case .invalidFormat(let r): return "invalid reference format: \"\(r)\""
    case .uppercaseRepository(let r):
      return "invalid reference format: repository name (\(r)) must be lowercase"
    case .nameTooLong(let r):
      return
        "invalid reference format: repository name \"\(r)\" must not be more than 255 characters"
    case .invalidTag(let t):
      return "invalid reference format: tag \"\(t)\" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
    case .invalidDigest(let d): return "invalid reference format: invalid digest \"\(d)\""
    case .ambiguousHexID(let r):
      return "invalid repository name (\(r)), cannot specify 64-byte hexadecimal strings"
    }
  }
}

public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
  public static let defaultDomain = "docker.io"
  public static let officialRepoPrefix = "library/"
  public static let defaultTag = "latest"

  /// Registry host[:port], e.g. "docker.io", "localhost:5000".
  public var domain: String
  /// Repository path, e.g. "library/busybox".
  public var path: String
  public var tag: String?
  public var digest: Digest?

  public init(domain: String, path: String, tag: String? = nil, digest: Digest? = nil) {
    self.domain = domain
    self.path = path
    self.tag = tag
    self.digest = digest
  }

  /// Parses a reference as the docker CLI does. With `defaultTag`, a reference with neither
  /// tag nor digest gets ":latest".
  public init(parsing s: String, defaultTag: Bool = true) throws(ImageReferenceError) {
    guard !s.isEmpty else { throw .empty }
    if s.utf8.count == 64, Digest(sha256Hex: s) != nil { throw .ambiguousHexID(s) }
    var rest = Substring(s)
    var digest: Digest?
    if let at = rest.firstIndex(of: "@") {
      let d = String(rest[rest.index(after: at)...])
      do {
        digest = try Digest(parsing: d)
      } catch {
        throw .invalidDigest(d)
      }
      rest = rest[..<at]
    }
    var tag: String?
    // A tag follows the last ':' that comes after the last '/'.
    let lastSlash = rest.lastIndex(of: "/")
    if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
      let t = String(rest[rest.index(after: colon)...])
      guard Self.isValidTag(t) else { throw .invalidTag(t) }
      tag = t
      rest = rest[..<colon]
    }
    let name = String(rest)
    guard !name.isEmpty else { throw .invalidFormat(s) }
    var domain: String
    var path: String
    if let slash = name.firstIndex(of: "/") {
      let first = String(name[..<slash])
      if first.contains(".") || first.contains(":") || first == "localhost"
        || first.lowercased() != first
      {
        domain = first
        path = String(name[name.index(after: slash)...])
      } else {
        domain = Self.defaultDomain
        path = name
      }
    } else {
      domain = Self.defaultDomain
      path = name
    }
    if domain == "index.docker.io" { domain = Self.defaultDomain }
    guard Self.isValidDomain(domain) else {
      // "Foo/bar": an uppercase first component is a repository, not a host.
      if !domain.contains("."), !domain.contains(":"), domain != "localhost" {
        throw .uppercaseRepository(name)
      }
      throw .invalidFormat(s)
    }
    if path.lowercased() != path { throw .uppercaseRepository(name) }
    if domain == Self.defaultDomain && !path.contains("/") { path = Self.officialRepoPrefix + path }
    guard Self.isValidPath(path) else { throw .invalidFormat(s) }
    guard domain.utf8.count + 1 + path.utf8.count <= 255 else { throw .nameTooLong(name) }
    if tag == nil && digest == nil && defaultTag { tag = Self.defaultTag }
    self.init(domain: domain, path: path, tag: tag, digest: digest)
  }

  /// "docker.io/library/busybox".
  public var name: String { domain + "/" + path }

  /// Fully qualified: "docker.io/library/busybox:latest", "h:5000/a@sha256:…".
  public var description: String {
    var s = name
    if let tag { s += ":" + tag }
    if let digest { s += "@" + digest.description }
    return s
  }

  /// The short name Docker shows: "busybox", "user/app", "host:5000/a/b".
  public var familiarName: String {
    guard domain == Self.defaultDomain else { return name }
    if path.hasPrefix(Self.officialRepoPrefix) {
      let rest = path.dropFirst(Self.officialRepoPrefix.count)
      if !rest.contains("/") { return String(rest) }
    }
    return path
  }

  /// "busybox:latest", "busybox@sha256:…".
  public var familiarString: String {
    var s = familiarName
    if let tag { s += ":" + tag }
    if let digest { s += "@" + digest.description }
    return s
  }

  public func withTag(_ t: String) -> ImageReference {
    ImageReference(domain: domain, path: path, tag: t, digest: nil)
  }

  public func withDigest(_ d: Digest) -> ImageReference {
    ImageReference(domain: domain, path: path, tag: nil, digest: d)
  }

  /// The repository without tag or digest.
  public var repository: ImageReference { ImageReference(domain: domain, path: path) }

  // MARK: grammar

  static func isAlnumLower(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)
  }

  /// tag := [\w][\w.-]{0,127}
  static func isValidTag(_ t: String) -> Bool {
    let u = Array(t.utf8)
    guard !u.isEmpty, u.count <= 128 else { return false }
    func word(_ c: UInt8) -> Bool {
      (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f
    }
    guard word(u[0]) else { return false }
    return u.dropFirst().allSatisfy { word($0) || $0 == 0x2e || $0 == 0x2d }
  }

  /// path := component ('/' component)*; component := [a-z0-9]+ (([._]|__|-+) [a-z0-9]+)*
  static func isValidPath(_ p: String) -> Bool {
    let comps = p.split(separator: "/", omittingEmptySubsequences: false)
    return !comps.isEmpty && comps.allSatisfy { isValidPathComponent(Array($0.utf8)) }
  }

  static func isValidPathComponent(_ u: [UInt8]) -> Bool {
    guard let f = u.first, let l = u.last, isAlnumLower(f), isAlnumLower(l) else { return false }
    var i = 0
    while i < u.count {
      if isAlnumLower(u[i]) {
        i += 1
        continue
      }
      // A separator run: ".", "_", "__", or "-"+.
      var j = i
      while j < u.count && !isAlnumLower(u[j]) { j += 1 }
      let sep = u[i..<j]
      let ok =
        sep.elementsEqual([0x2e]) || sep.elementsEqual([0x5f]) || sep.elementsEqual([0x5f, 0x5f])
        || sep.allSatisfy { $0 == 0x2d }
      guard ok else { return false }
      i = j
    }
    return true
  }

  /// domain := label ('.' label)* (':' port)?, or a bracketed IPv6 address with optional port.
  static func isValidDomain(_ d: String) -> Bool {
    var host = Substring(d)
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else { return false }
      let inside = host[host.index(after: host.startIndex)..<close]
      guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return false }
      let after = host[host.index(after: close)...]
      if after.isEmpty { return true }
      guard after.hasPrefix(":") else { return false }
      let port = after.dropFirst()
      return !port.isEmpty && port.allSatisfy(\.isASCII) && port.allSatisfy(\.isNumber)
    }
    if let colon = host.lastIndex(of: ":") {
      let port = host[host.index(after: colon)...]
      guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
      host = host[..<colon]
    }
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    return !labels.isEmpty
      && labels.allSatisfy { l in
        let u = Array(l.utf8)
        func an(_ c: UInt8) -> Bool { isAlnumLower(c) || (c >= 0x41 && c <= 0x5a) }
        guard let f = u.first, let e = u.last, an(f), an(e) else { return false }
        return u.allSatisfy { an($0) || $0 == 0x2d }
      }
  }
}
