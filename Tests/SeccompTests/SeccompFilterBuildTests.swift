import CSeccomp
import OCI
import Testing

@testable import Seccomp

@Suite("Building libseccomp filters")
struct SeccompFilterBuildTests {
  @Test func exportBPFProducesAProgram() throws {
    let filter = try SeccompFilter.build(
      OCI.Seccomp(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38)
        ]))
    let program = try FilterExport.bpf(filter)
    // struct sock_filter is 8 bytes; a filter checks the arch, loads nr, jumps, returns.
    #expect(program.count >= 8 * 4)
    #expect(program.count % 8 == 0)
  }

  @Test func unknownSyscallsAreSkipped() throws {
    let filter = try SeccompFilter.build(
      OCI.Seccomp(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          OCI.SeccompSyscall(
            names: ["mkdir", "no_such_syscall", "also_not_one"], action: "SCMP_ACT_ERRNO")
        ]))
    #expect(filter.skippedSyscalls == ["no_such_syscall", "also_not_one"])
    let pfc = try FilterExport.pfc(filter)
    #expect(pfc.contains("ERRNO(1)"))
  }

  @Test func rulesShowInTheFilter() throws {
    let filter = try SeccompFilter.build(
      OCI.Seccomp(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          OCI.SeccompSyscall(
            names: ["personality"], action: "SCMP_ACT_ERRNO", errnoRet: 38,
            args: [
              OCI.SeccompArg(index: 0, value: 7, op: "SCMP_CMP_EQ"),
              OCI.SeccompArg(index: 0, value: 9, op: "SCMP_CMP_EQ"),
            ])
        ]))
    let pfc = try FilterExport.pfc(filter)
    #expect(pfc.contains("ERRNO(38)"))
    #expect(pfc.contains("7"))
    #expect(pfc.contains("9"))
  }

  @Test func everyActionBuilds() throws {
    for action in SeccompSupport.actions where action != "SCMP_ACT_ALLOW" {
      _ = try SeccompFilter.build(
        OCI.Seccomp(
          defaultAction: "SCMP_ACT_ALLOW",
          syscalls: [OCI.SeccompSyscall(names: ["getpid"], action: action)]))
    }
    for action in SeccompSupport.actions {
      _ = try SeccompFilter.build(OCI.Seccomp(defaultAction: action))
    }
  }

  @Test func everyOperatorBuilds() throws {
    for op in SeccompSupport.operators {
      _ = try SeccompFilter.build(
        OCI.Seccomp(
          defaultAction: "SCMP_ACT_ALLOW",
          syscalls: [
            OCI.SeccompSyscall(
              names: ["socket"], action: "SCMP_ACT_ERRNO",
              args: [OCI.SeccompArg(index: 0, value: 0xf0, valueTwo: 0x10, op: op)])
          ]))
    }
  }

  @Test func architecturesAndFlagsBuild() throws {
    var spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      architectures: [
        "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",
      ],
      syscalls: [OCI.SeccompSyscall(names: ["socketcall", "mkdir"], action: "SCMP_ACT_ERRNO")])
    spec.flags = SeccompSupport.flags
    let filter = try SeccompFilter.build(spec)
    #expect(filter.skippedSyscalls.isEmpty)
    #expect(try FilterExport.bpf(filter).count > 0)
  }

  @Test func invalidSpecsThrowBeforeAnyFilterExists() {
    #expect(throws: SeccompError.unknownAction("ALLOW")) {
      try SeccompFilter.build(OCI.Seccomp(defaultAction: "ALLOW"))
    }
    #expect(throws: SeccompError.unknownAction("SCMP_ACT_MAYBE")) {
      try SeccompFilter.build(
        OCI.Seccomp(
          defaultAction: "SCMP_ACT_ALLOW",
          syscalls: [OCI.SeccompSyscall(names: ["getpid"], action: "SCMP_ACT_MAYBE")]))
    }
    #expect(throws: SeccompError.unknownOperator("SCMP_CMP_LIKE", syscall: "getpid")) {
      try SeccompFilter.build(
        OCI.Seccomp(
          defaultAction: "SCMP_ACT_ALLOW",
          syscalls: [
            OCI.SeccompSyscall(
              names: ["getpid"], action: "SCMP_ACT_ERRNO",
              args: [OCI.SeccompArg(index: 0, value: 1, op: "SCMP_CMP_LIKE")])
          ]))
    }
    #expect(throws: SeccompError.unknownArchitecture("SCMP_ARCH_PDP11")) {
      try SeccompFilter.build(
        OCI.Seccomp(defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_PDP11"]))
    }
  }
}
