// Platform of an image (image-spec image-index.md), with Docker-compatible matching.

public struct Platform: Codable, Sendable, Hashable, CustomStringConvertible {
  public var architecture: String
  public var os: String
  public var osVersion: String?
  public var osFeatures: [String]?
  public var variant: String?
  public var features: [String]?

  enum CodingKeys: String, CodingKey {
    case architecture, os, variant, features
    case osVersion = "os.version"
    case osFeatures = "os.features"
  }

  public init(
    architecture: String, os: String, variant: String? = nil, osVersion: String? = nil,
    osFeatures: [String]? = nil
  ) {
    self.architecture = architecture
    self.os = os
    self.variant = variant
    self.osVersion = osVersion
    self.osFeatures = osFeatures
  }

  /// The platform this engine runs on (linux/amd64 by default; arm64 builds say so).
  public static var host: Platform {
    #if arch(arm64)
      return Platform(architecture: "arm64", os: "linux", variant: "v8")
    #elseif arch(arm)
      return Platform(architecture: "arm", os: "linux", variant: "v7")
    #else
      return Platform(architecture: "amd64", os: "linux")
    #endif
  }

  /// "os/arch[/variant]".
  public var description: String {
    var s = "\(os)/\(architecture)"
    if let v = variant, !v.isEmpty { s += "/\(v)" }
    return s
  }

  /// Parses "os/arch[/variant]" or "arch" (os defaults to linux). Normalises
  /// aliases (x86_64 → amd64, aarch64 → arm64, armhf → arm/v7).
  public init?(parsing s: String) {
    let parts = s.lowercased().split(separator: "/", omittingEmptySubsequences: false).map(
      String.init)
    guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    if parts.count == 1 {
      self.init(architecture: parts[0], os: "linux")
    } else {
      self.init(architecture: parts[1], os: parts[0], variant: parts.count == 3 ? parts[2] : nil)
    }
    self = self.normalized
  }

  /// Canonical spelling of architecture and variant, as containerd's platforms package does.
  public var normalized: Platform {
    var p = self
    p.os = os.lowercased()
    switch architecture.lowercased() {
    case "i386":
      p.architecture = "386"
      p.variant = nil
    case "x86_64", "x86-64", "amd64":
      p.architecture = "amd64"
      if variant == "v1" { p.variant = nil }
    case "aarch64", "arm64":
      p.architecture = "arm64"
      if variant == "8" || variant == "v8" || variant == nil { p.variant = "v8" }
    case "armhf":
      p.architecture = "arm"
      p.variant = "v7"
    case "armel":
      p.architecture = "arm"
      p.variant = "v6"
    case "arm":
      p.architecture = "arm"
      switch variant {
      case nil, "", "7": p.variant = "v7"
      case "5", "6", "8": p.variant = "v" + (variant ?? "")
      default: break
      }
    default: p.architecture = architecture.lowercased()
    }
    return p
  }

  /// Whether an image built for `other` can run on `self` (os and architecture equal;
  /// variants equal after normalisation, or the image's variant is unset, or for arm a
  /// lower variant: v7 hosts run v6 and v5 images).
  public func matches(_ other: Platform) -> Bool {
    let a = normalized
    let b = other.normalized
    guard a.os == b.os, a.architecture == b.architecture else { return false }
    guard let want = a.variant, let have = b.variant, want != have else { return true }
    if a.architecture == "arm", let w = Int(want.dropFirst()), let h = Int(have.dropFirst()) {
      return h <= w
    }
    if a.architecture == "amd64", let w = Int(want.dropFirst()), let h = Int(have.dropFirst()) {
      return h <= w
    }
    return false
  }
}
