import Glibc
import LinuxOS
import OCI

/// Drops to the process's user and capabilities, in the order that keeps the right
/// to do each next step: bounding set, then ids (keeping caps), then the other sets.
enum Privileges {
  static func drop(to process: OCI.Process) throws {
    let caps = process.capabilities ?? Capabilities()
    let last = CapabilityNames.lastCapability()
    let bounding = try mask(caps.bounding)
    for cap in 0...last where bounding & (1 << UInt64(cap)) == 0 {
      try CapabilitySets.dropBounding(cap)
    }
    try ProcessAttributes.setKeepCapabilities(true)
    try ProcessAttributes.setCredentials(
      uid: process.user.uid, gid: process.user.gid, groups: process.user.additionalGids ?? [])
    try ProcessAttributes.setKeepCapabilities(false)
    let permitted = try mask(caps.permitted)
    let inheritable = try mask(caps.inheritable)
    try CapabilitySets.set(effective: try mask(caps.effective), permitted: permitted, inheritable: inheritable)
    try CapabilitySets.clearAmbient()
    // The kernel only lets a capability be ambient if it is permitted and inheritable;
    // others are skipped, as runc does.
    let ambient = try mask(caps.ambient) & permitted & inheritable
    for cap in 0...last where ambient & (1 << UInt64(cap)) != 0 {
      try CapabilitySets.raiseAmbient(cap)
    }
  }

  static func mask(_ names: [String]?) throws -> UInt64 {
    let (mask, unknown) = CapabilityNames.mask(names ?? [])
    // Capabilities newer than this kernel are ignored, like runc does; misspelled ones are errors.
    let misspelled = unknown.filter { !$0.uppercased().hasPrefix("CAP_") }
    if !misspelled.isEmpty { throw RuntimeError("unknown capability \(misspelled.joined(separator: ", "))") }
    let last = CapabilityNames.lastCapability()
    return last >= 63 ? mask : mask & ((1 << UInt64(last + 1)) - 1)
  }
}
