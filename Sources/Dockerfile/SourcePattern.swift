/// A COPY or ADD source path with wildcards (Go's `filepath.Match` rules, one path component
/// at a time: `*` and `?` do not cross `/`).
public struct SourcePattern: Equatable, Sendable {
  public let components: [String]
  private let globs: [Glob]

  /// Nil for a malformed pattern (an unclosed `[` …). `path` is relative to the context root.
  public init?(_ path: String) {
    components = path.split(separator: "/").map(String.init).filter { $0 != "." }
    var globs: [Glob] = []
    for c in components {
      guard let g = Glob(c, pathAware: true) else { return nil }
      globs.append(g)
    }
    self.globs = globs
  }

  /// Whether a source path has wildcards at all (else it names one path, which must exist).
  public static func hasWildcards(_ path: String) -> Bool { path.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

  /// Whether component `index` of the pattern matches the name `name`.
  public func matches(component index: Int, _ name: String) -> Bool {
    index < globs.count && globs[index].matches(name)
  }
}
