/// Docker image references, normalised the way the docker CLI does for messages and pulls.
public struct ImageReference: Equatable, Sendable {
  /// "docker.io/library/busybox".
  public var name: String
  public var tag: String?
  public var digest: String?

  public init(parsing text: String) {
    var rest = text
    if let at = rest.firstIndex(of: "@") {
      digest = String(rest[rest.index(after: at)...])
      rest = String(rest[..<at])
    }
    let lastSlash = rest.lastIndex(of: "/")
    let searchStart = lastSlash.map { rest.index(after: $0) } ?? rest.startIndex
    if let colon = rest[searchStart...].lastIndex(of: ":") {
      tag = String(rest[rest.index(after: colon)...])
      rest = String(rest[..<colon])
    }
    var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    let first = components.first ?? ""
    let hasDomain = components.count > 1 && (first.contains(".") || first.contains(":") || first == "localhost")
    if !hasDomain {
      if components.count == 1 { components.insert("library", at: 0) }
      components.insert("docker.io", at: 0)
    }
    name = components.joined(separator: "/")
  }

  /// The name with "docker.io/" and "library/" dropped ("busybox").
  public var familiarName: String {
    var n = Substring(name)
    if n.hasPrefix("docker.io/") {
      n = n.dropFirst("docker.io/".count)
      if n.hasPrefix("library/") && n.dropFirst("library/".count).firstIndex(of: "/") == nil {
        n = n.dropFirst("library/".count)
      }
    }
    return String(n)
  }

  /// `familiarName:tag` with "latest" added when neither tag nor digest was given.
  public var familiarString: String {
    if let digest { return familiarName + (tag.map { ":" + $0 } ?? "") + "@" + digest }
    return familiarName + ":" + (tag ?? "latest")
  }

  /// The `tag` query parameter of a pull: the tag, the digest, or "latest".
  public var pullTag: String { digest ?? tag ?? "latest" }
}
