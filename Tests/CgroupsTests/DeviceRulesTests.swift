import OCI
import Testing

@testable import Cgroups

/// Runs a device filter program on one request, like the kernel would (only the opcodes
/// the generator emits), so the rules' meaning is tested without loading anything.
func runDeviceFilter(
  _ program: [BPFInstruction], type: Character, access: String, major: Int32, minor: Int32
) -> Int64 {
  let typeValue: UInt64 = type == "b" ? 1 : 2
  let accessValue = UInt64(DeviceRules.accessBits(access))
  let context: [UInt64] = [
    (accessValue << 16) | typeValue, UInt64(UInt32(bitPattern: major)),
    UInt64(UInt32(bitPattern: minor)),
  ]
  var registers = [UInt64](repeating: 0, count: 11)
  var pc = 0
  var steps = 0
  while pc < program.count && steps < 10_000 {
    steps += 1
    let insn = program[pc]
    let dst = Int(insn.dst)
    let src = Int(insn.src)
    let imm = UInt64(UInt32(bitPattern: insn.imm))
    pc += 1
    switch insn.code {
    case BPFInstruction.ldxMemW: registers[dst] = context[Int(insn.off) / 4]
    case BPFInstruction.aluAndK: registers[dst] = (registers[dst] & imm) & 0xFFFF_FFFF
    case BPFInstruction.aluRshK: registers[dst] = (registers[dst] & 0xFFFF_FFFF) >> imm
    case BPFInstruction.aluMovK: registers[dst] = imm
    case BPFInstruction.aluMovX: registers[dst] = registers[src] & 0xFFFF_FFFF
    case BPFInstruction.jmpJeqK: if registers[dst] == imm { pc += Int(insn.off) }
    case BPFInstruction.jmpJneK: if registers[dst] != imm { pc += Int(insn.off) }
    case BPFInstruction.jmpJneX: if registers[dst] != registers[src] { pc += Int(insn.off) }
    case BPFInstruction.exit: return Int64(registers[0])
    default: return -1
    }
  }
  return -1
}

@Suite struct DeviceRulesTests {
  static let dockerLike: [DeviceCgroupRule] = [
    DeviceCgroupRule(allow: false, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),  // /dev/null
    DeviceCgroupRule(allow: true, type: "c", major: 136, access: "rwm"),  // /dev/pts/*
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 9, access: "r"),  // /dev/urandom read-only
    DeviceCgroupRule(allow: false, type: "c", major: 1, minor: 3, access: "m"),  // no mknod of null
  ]

  @Test func v1Entries() {
    #expect(DeviceRules.v1Entry(DeviceCgroupRule(allow: false, access: "rwm")) == "a *:* rwm")
    #expect(
      DeviceRules.v1Entry(
        DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 3, access: "rw")) == "c 1:3 rw")
    #expect(DeviceRules.v1Entry(DeviceCgroupRule(allow: true, type: "b", major: 8)) == "b 8:* rwm")
    #expect(
      DeviceRules.v1Entry(
        DeviceCgroupRule(allow: true, type: "c", major: -1, minor: -1, access: "m")) == "c *:* m")
  }

  @Test func normalizeStartsAfterLastWildcard() {
    let (allow, rest) = DeviceRules.normalize(Self.dockerLike)
    #expect(allow == false && rest.count == 4)
    let privileged = DeviceRules.normalize([
      DeviceCgroupRule(allow: false, access: "rwm"), DeviceCgroupRule(allow: true),
    ])
    #expect(privileged.defaultAllow == true && privileged.rules.isEmpty)
    // No wildcard at all: deny by default.
    #expect(
      DeviceRules.normalize([DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 3)])
        .defaultAllow == false)
  }

  @Test func validateRejectsBadTypeAndAccess() {
    #expect(throws: CgroupError.self) {
      try DeviceRules.validate([DeviceCgroupRule(allow: true, type: "x")])
    }
    #expect(throws: CgroupError.self) {
      try DeviceRules.validate([DeviceCgroupRule(allow: true, access: "rx")])
    }
    #expect(throws: Never.self) { try DeviceRules.validate(Self.dockerLike) }
  }

  @Test func filterProgramImplementsTheAllowList() {
    let program = DeviceFilterProgram.instructions(for: Self.dockerLike)
    func check(_ type: Character, _ access: String, _ major: Int32, _ minor: Int32) -> Int64 {
      runDeviceFilter(program, type: type, access: access, major: major, minor: minor)
    }
    #expect(check("c", "rw", 1, 3) == 1)  // null read/write
    #expect(check("c", "m", 1, 3) == 0)  // null mknod denied by the later rule
    #expect(check("c", "rw", 136, 7) == 1)  // any pts
    #expect(check("c", "r", 1, 9) == 1)  // urandom read
    #expect(check("c", "rw", 1, 9) == 0)  // urandom write: not a subset of "r"
    #expect(check("c", "r", 1, 5) == 0)  // zero: not listed
    #expect(check("b", "r", 8, 0) == 0)  // disks
    #expect(check("b", "r", 1, 3) == 0)  // block 1:3 is not char 1:3
  }

  @Test func filterProgramAllowAllWithExceptions() {
    let rules = [
      DeviceCgroupRule(allow: true, access: "rwm"),
      DeviceCgroupRule(allow: false, type: "b", major: 8, access: "w"),
    ]
    let program = DeviceFilterProgram.instructions(for: rules)
    #expect(runDeviceFilter(program, type: "b", access: "r", major: 8, minor: 1) == 1)
    #expect(runDeviceFilter(program, type: "b", access: "rw", major: 8, minor: 1) == 0)
    #expect(runDeviceFilter(program, type: "c", access: "rwm", major: 5, minor: 1) == 1)
  }

  @Test func emptyRulesDenyEverything() {
    let program = DeviceFilterProgram.instructions(for: [])
    #expect(program.count == 8)
    #expect(runDeviceFilter(program, type: "c", access: "r", major: 1, minor: 3) == 0)
  }
}
