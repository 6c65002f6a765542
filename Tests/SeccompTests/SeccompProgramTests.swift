import Foundation
import OCI
import Seccomp
import Testing

/// The compiled BPF program the runtime caches and its init loads with one seccomp(2)
/// call: the kernel must treat it exactly as the filter libseccomp loads itself.
@Suite("Precompiled seccomp programs")
struct SeccompProgramTests {
  static let denyMkdir = OCI.Seccomp(
    defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38)])

  @Test func loadsLikeLibseccomp() throws {
    let ops = ["getpid", "mkdir:$DIR/made", "personality:4"]
    let direct = try SeccompProbe.run(Self.denyMkdir, ops: ops)
    let compiled = try SeccompProbe.run(Self.denyMkdir, ops: ops, precompiled: true)
    #expect(compiled.status == 0, "\(compiled.stderr)")
    #expect(compiled.lines == ["getpid=0", "mkdir=38", "personality=0"])
    #expect(compiled.lines == direct.lines)
  }

  @Test(.enabled(if: geteuid() == 0, "without root, unshare fails with EPERM even unfiltered"))
  func dockerDefaultLoadsLikeLibseccomp() throws {
    let ops = [
      "getpid", "mkdir:$DIR/made", "unshare-uts", "personality:4294967295", "personality:4",
      "socket:\(AF_UNIX)", "socket:40",
    ]
    let direct = try SeccompProbe.run(nil, ops: ops)
    let compiled = try SeccompProbe.run(nil, ops: ops, precompiled: true)
    #expect(compiled.status == 0, "\(compiled.stderr)")
    #expect(compiled.lines == direct.lines)
    #expect(compiled.lines.contains("unshare-uts=1"))
  }

  @Test func killProcessStillKills() throws {
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_KILL_PROCESS")])
    let result = try SeccompProbe.run(spec, ops: ["mkdir:$DIR/made"], precompiled: true)
    #expect(result.killedBySignal, "\(result.status) \(result.lines) \(result.stderr)")
  }

  @Test func programIsTheExportedBPFAndCarriesTheFlags() throws {
    var spec = Self.denyMkdir
    spec.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]
    let filter = try SeccompFilter.build(spec)
    let program = try filter.program()
    #expect(Data(program.instructions) == (try FilterExport.bpf(filter)))
    #expect(program.flags == 2 | 4)
    #expect(try SeccompFilter.build(Self.denyMkdir).program().flags == 0)
  }

  @Test func malformedProgramsAreRefused() {
    #expect(throws: SeccompError.self) { try SeccompProgram(instructions: [], flags: 0) }
    #expect(throws: SeccompError.self) { try SeccompProgram(instructions: [1, 2, 3], flags: 0) }
    #expect(throws: SeccompError.self) {
      try SeccompProgram(instructions: [UInt8](repeating: 0, count: 8 * 4097), flags: 0)
    }
    #expect(throws: SeccompError.self) { try SeccompProgram(instructions: [UInt8](repeating: 0, count: 8), flags: 8) }
    let error = SeccompError.malformedProgram("3 bytes")
    #expect(error.description == "seccomp: malformed BPF program: 3 bytes")
  }
}
