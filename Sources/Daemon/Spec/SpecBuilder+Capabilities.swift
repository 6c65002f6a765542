// Capabilities: Docker's default set, `--cap-add`/`--cap-drop` (with "ALL"), and
// `--privileged` (moby's caps.TweakCapabilities).
import LinuxOS
import Seccomp

extension SpecBuilder {
  /// Every capability this kernel knows, in number order.
  static var allCapabilities: [String] {
    Array(CapabilityNames.all.prefix(CapabilityNames.lastCapability() + 1))
  }

  /// Docker's default capabilities, in number order.
  static var defaultCapabilities: [String] {
    CapabilityNames.all.filter { SeccompFilter.dockerDefaultCapabilities.contains($0) }
  }

  /// "net_admin", "NET_ADMIN", "CAP_NET_ADMIN" → "CAP_NET_ADMIN"; "all" → "ALL".
  static func normalizeCapability(_ name: String) throws -> String {
    let upper = name.uppercased()
    if upper == "ALL" { return "ALL" }
    let full = upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
    guard CapabilityNames.all.contains(full) else {
      throw DaemonError.invalid("invalid capability: \"\(name)\": unknown capability: \"\(full)\"")
    }
    return full
  }

  static func capabilities(add: [String], drop: [String], privileged: Bool) throws -> [String] {
    let adds = try add.map(normalizeCapability)
    let drops = try drop.map(normalizeCapability)
    if privileged { return allCapabilities }
    var caps: [String]
    if adds.contains("ALL") {
      caps = allCapabilities.filter { !drops.contains($0) }
    } else if drops.contains("ALL") {
      caps = adds
    } else {
      caps = defaultCapabilities.filter { !drops.contains($0) } + adds
    }
    var seen = Set<String>()
    caps = caps.filter { seen.insert($0).inserted }
    let order = Dictionary(uniqueKeysWithValues: CapabilityNames.all.enumerated().map { ($1, $0) })
    return caps.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }
  }
}
