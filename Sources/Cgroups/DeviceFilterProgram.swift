import OCI

/// One eBPF instruction (struct bpf_insn).
public struct BPFInstruction: Sendable, Equatable {
  public var code: UInt8
  public var dst: UInt8
  public var src: UInt8
  public var off: Int16
  public var imm: Int32

  // Opcodes used here: class | op | source.
  static let ldxMemW: UInt8 = 0x61  // BPF_LDX | BPF_MEM | BPF_W
  static let aluAndK: UInt8 = 0x54  // BPF_ALU | BPF_AND | BPF_K
  static let aluRshK: UInt8 = 0x74  // BPF_ALU | BPF_RSH | BPF_K
  static let aluMovK: UInt8 = 0xb4  // BPF_ALU | BPF_MOV | BPF_K
  static let aluMovX: UInt8 = 0xbc  // BPF_ALU | BPF_MOV | BPF_X
  static let jmpJeqK: UInt8 = 0x15  // BPF_JMP | BPF_JEQ | BPF_K
  static let jmpJneK: UInt8 = 0x55  // BPF_JMP | BPF_JNE | BPF_K
  static let jmpJneX: UInt8 = 0x5d  // BPF_JMP | BPF_JNE | BPF_X
  static let exit: UInt8 = 0x95  // BPF_JMP | BPF_EXIT
}

/// Builds the BPF_PROG_TYPE_CGROUP_DEVICE program for an OCI device list, the cgroup v2
/// replacement of devices.allow/devices.deny.
///
/// The program reads `struct bpf_cgroup_dev_ctx { u32 access_type /* access << 16 | type */;
/// u32 major; u32 minor; }` and returns 1 (allow) or 0 (deny). Rules after the last
/// wildcard are checked last-first, so a later rule overrides an earlier one, as when the
/// rules are written one by one to v1's files. An allow rule matches when every requested
/// access is in it, a deny rule when any requested access is in it (the v1 kernel's
/// semantics); no match returns the default (the last wildcard rule, else deny).
public enum DeviceFilterProgram {
  static let r0: UInt8 = 0, r1: UInt8 = 1, r2: UInt8 = 2, r3: UInt8 = 3, r4: UInt8 = 4,
    r5: UInt8 = 5

  public static func instructions(for rules: [DeviceCgroupRule]) -> [BPFInstruction] {
    let (defaultAllow, rest) = DeviceRules.normalize(rules)
    var program: [BPFInstruction] = [
      // r2 = type (low 16 bits of access_type), r3 = access (high 16 bits).
      .init(code: BPFInstruction.ldxMemW, dst: r2, src: r1, off: 0, imm: 0),
      .init(code: BPFInstruction.aluAndK, dst: r2, src: 0, off: 0, imm: 0xFFFF),
      .init(code: BPFInstruction.ldxMemW, dst: r3, src: r1, off: 0, imm: 0),
      .init(code: BPFInstruction.aluRshK, dst: r3, src: 0, off: 0, imm: 16),
      // r4 = major, r5 = minor.
      .init(code: BPFInstruction.ldxMemW, dst: r4, src: r1, off: 4, imm: 0),
      .init(code: BPFInstruction.ldxMemW, dst: r5, src: r1, off: 8, imm: 0),
    ]
    for rule in rest.reversed() { program += block(for: rule) }
    program += [
      .init(code: BPFInstruction.aluMovK, dst: r0, src: 0, off: 0, imm: defaultAllow ? 1 : 0),
      .init(code: BPFInstruction.exit, dst: 0, src: 0, off: 0, imm: 0),
    ]
    return program
  }

  /// Checks that jump to the end of the block when the rule does not match, then a return.
  static func block(for rule: DeviceCgroupRule) -> [BPFInstruction] {
    // Each check is a list of instructions whose last one is a jump past the block; the
    // offset is filled in once the block's length is known.
    var checks: [[BPFInstruction]] = []
    switch rule.type ?? "a" {
    case "b": checks.append([.init(code: BPFInstruction.jmpJneK, dst: r2, src: 0, off: 0, imm: 1)])
    case "c": checks.append([.init(code: BPFInstruction.jmpJneK, dst: r2, src: 0, off: 0, imm: 2)])
    default: break
    }
    let access = DeviceRules.accessBits(rule.access)
    if access != 0b111 {
      var check: [BPFInstruction] = [
        .init(code: BPFInstruction.aluMovX, dst: r1, src: r3, off: 0, imm: 0),
        .init(code: BPFInstruction.aluAndK, dst: r1, src: 0, off: 0, imm: access),
      ]
      if rule.allow {
        // Requested access must be a subset: (req & allowed) == req.
        check.append(.init(code: BPFInstruction.jmpJneX, dst: r1, src: r3, off: 0, imm: 0))
      } else {
        // Any overlap denies: (req & denied) != 0.
        check.append(.init(code: BPFInstruction.jmpJeqK, dst: r1, src: 0, off: 0, imm: 0))
      }
      checks.append(check)
    }
    if (rule.type ?? "a") != "a" {
      if let major = rule.major, major >= 0 {
        checks.append([
          .init(
            code: BPFInstruction.jmpJneK, dst: r4, src: 0, off: 0,
            imm: Int32(truncatingIfNeeded: major))
        ])
      }
      if let minor = rule.minor, minor >= 0 {
        checks.append([
          .init(
            code: BPFInstruction.jmpJneK, dst: r5, src: 0, off: 0,
            imm: Int32(truncatingIfNeeded: minor))
        ])
      }
    }
    let verdict: [BPFInstruction] = [
      .init(code: BPFInstruction.aluMovK, dst: r0, src: 0, off: 0, imm: rule.allow ? 1 : 0),
      .init(code: BPFInstruction.exit, dst: 0, src: 0, off: 0, imm: 0),
    ]
    var block = checks.flatMap { $0 } + verdict
    // Patch each jump to land right after the block.
    var index = 0
    for check in checks {
      index += check.count
      block[index - 1].off = Int16(block.count - index)
    }
    return block
  }
}
