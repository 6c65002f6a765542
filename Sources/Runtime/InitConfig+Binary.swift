import Cgroups
import JSONCoding
import OCI
import Seccomp

/// The init's config travels in `BinaryWriter`'s compact form, not JSON: decoding JSON
/// through Codable in the freshly exec'd init is mostly first-use type metadata and
/// witness-table work, paid on every container start (BERTH_TRACE, min of 40 runs, init
/// start → config decoded: 0.63 → 0.24 ms).
///
/// Every field goes over except `spec.linux.resources`: cgroup limits are the parent's
/// job and the init never reads them. The seccomp profile and personality, rare and
/// deeply nested, go as embedded JSON and are decoded only when present.
///
/// Adding a stored property to `InitConfig` (or to an OCI type written here) means
/// adding it to `write` and `read` below; `InitConfigBinaryTests` checks the field counts.
extension InitConfig {
  static let binaryMagic: [UInt8] = Array("BIC1".utf8)

  func binaryEncoded() throws -> [UInt8] {
    var w = BinaryWriter()
    w.raw(Self.binaryMagic)
    w.string(mode.rawValue)
    w.string(id)
    w.string(bundle)
    w.string(rootfs)
    try InitSpecCoding.write(spec, to: &w)
    InitSpecCoding.write(process, to: &w)
    w.string(cgroup.mode.rawValue)
    w.dictionary(cgroup.paths)
    w.bool(hasConsoleSocket)
    w.int(Int64(preservedFDs))
    w.array(joinNamespaces) { InitSpecCoding.write($1, to: &$0) }
    w.int(Int64(newNamespaceFlags))
    w.string(userNamespace.rawValue)
    InitSpecCoding.write(hookState, to: &w)
    w.optionalStrings(cgroupMountPoints)
    w.optional(seccompProgram) {
      $0.uint(UInt64($1.flags))
      $0.blob($1.instructions)
    }
    return w.bytes
  }

  init(binary bytes: [UInt8]) throws {
    var r = BinaryReader(bytes, subject: "init config")
    try r.header(Self.binaryMagic, "no BIC1 header (not an init config, or a runtime and init of different versions)")
    let modeName = try r.string()
    guard let mode = Mode(rawValue: modeName) else { throw r.error("unknown mode \(modeName)") }
    let id = try r.string()
    let bundle = try r.string()
    let rootfs = try r.string()
    let spec = try InitSpecCoding.readSpec(&r)
    let process = try InitSpecCoding.readProcess(&r)
    let cgroupModeName = try r.string()
    guard let cgroupMode = CgroupMode(rawValue: cgroupModeName) else {
      throw r.error("unknown cgroup mode \(cgroupModeName)")
    }
    let cgroup = CgroupPlacement(mode: cgroupMode, paths: try r.dictionary())
    let hasConsoleSocket = try r.bool()
    let preservedFDs = try r.int(as: Int.self)
    let joinNamespaces = try r.array { try InitSpecCoding.readNamespace(&$0) }
    let newNamespaceFlags = try r.int(as: Int32.self)
    let userName = try r.string()
    guard let userNamespace = UserNamespaceMode(rawValue: userName) else {
      throw r.error("unknown user namespace mode \(userName)")
    }
    let hookState = try InitSpecCoding.readState(&r)
    let cgroupMountPoints = try r.optionalStrings()
    let seccompProgram = try r.optional { reader in
      let flags = try reader.uint(as: UInt32.self)
      return try SeccompProgram(instructions: try reader.blob(), flags: flags)
    }
    guard r.isAtEnd else { throw r.error("trailing bytes") }
    self.init(
      mode: mode, id: id, bundle: bundle, rootfs: rootfs, spec: spec, process: process, cgroup: cgroup,
      hasConsoleSocket: hasConsoleSocket, preservedFDs: preservedFDs, joinNamespaces: joinNamespaces,
      newNamespaceFlags: newNamespaceFlags, userNamespace: userNamespace, hookState: hookState,
      cgroupMountPoints: cgroupMountPoints, seccompProgram: seccompProgram)
  }
}

extension SyncChannel {
  /// The init's config, as the first frame (`InitConfig+Binary`).
  func sendConfig(_ config: InitConfig) throws { try sendFrame(try config.binaryEncoded()) }

  func receiveConfig() throws -> InitConfig { try InitConfig(binary: try receiveFrame()) }
}
