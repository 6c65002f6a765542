import OCI

/// The OCI device allow-list, reduced to what both the v1 files and the v2 eBPF filter need.
enum DeviceRules {
  /// A rule for every device and every access ("a *:* rwm"): it resets the list.
  static func isWildcard(_ rule: DeviceCgroupRule) -> Bool {
    (rule.type ?? "a") == "a" && (rule.major ?? -1) < 0 && (rule.minor ?? -1) < 0
      && accessBits(rule.access) == 0b111
  }

  /// Checks types and access letters before anything is written.
  static func validate(_ rules: [DeviceCgroupRule]) throws {
    for rule in rules {
      if let type = rule.type, !["a", "b", "c"].contains(type) {
        throw CgroupError.invalidValue("device rule type \"\(type)\" (want a, b or c)")
      }
      if let access = rule.access, access.contains(where: { !"rwm".contains($0) }) {
        throw CgroupError.invalidValue(
          "device rule access \"\(access)\" (want letters from r, w, m)")
      }
    }
  }

  /// The default (after the last wildcard rule; deny when there is none, which is what every
  /// OCI config means) and the rules after it, in order.
  static func normalize(_ rules: [DeviceCgroupRule]) -> (
    defaultAllow: Bool, rules: [DeviceCgroupRule]
  ) {
    guard let last = rules.lastIndex(where: isWildcard) else { return (false, rules) }
    return (rules[last].allow, Array(rules[(last + 1)...]))
  }

  /// v1 devices.allow / devices.deny text: "c 1:3 rwm", "a *:* rwm".
  static func v1Entry(_ rule: DeviceCgroupRule) -> String {
    let type = rule.type ?? "a"
    let major = (rule.major ?? -1) < 0 ? "*" : String(rule.major ?? 0)
    let minor = (rule.minor ?? -1) < 0 ? "*" : String(rule.minor ?? 0)
    let access = (rule.access?.isEmpty ?? true) ? "rwm" : (rule.access ?? "rwm")
    if type == "a" { return "a *:* \(access)" }
    return "\(type) \(major):\(minor) \(access)"
  }

  /// BPF_DEVCG_ACC_* bits: mknod 1, read 2, write 4. Unset or empty access means all.
  static func accessBits(_ access: String?) -> Int32 {
    guard let access, !access.isEmpty else { return 0b111 }
    var bits: Int32 = 0
    if access.contains("m") { bits |= 1 }
    if access.contains("r") { bits |= 2 }
    if access.contains("w") { bits |= 4 }
    return bits
  }
}
