/// An Engine API version ("1.47").
public struct APIVersion: Sendable, Comparable, Hashable, CustomStringConvertible {
  public var major: Int
  public var minor: Int

  public init(_ major: Int, _ minor: Int) {
    self.major = major
    self.minor = minor
  }

  public init?(_ text: some StringProtocol) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else {
      return nil
    }
    self.init(major, minor)
  }

  public static let current = APIVersion(1, 47)
  public static let minimum = APIVersion(1, 24)
  /// From this version, hijacked and log streams without a TTY say `multiplexed-stream`.
  public static let multiplexedContentType = APIVersion(1, 42)
  /// From 1.42 a volume prune removes anonymous volumes only, unless `all` is set.
  public static let pruneAnonymousVolumesOnly = APIVersion(1, 42)

  public var description: String { "\(major).\(minor)" }

  public static func < (a: APIVersion, b: APIVersion) -> Bool {
    (a.major, a.minor) < (b.major, b.minor)
  }
}
