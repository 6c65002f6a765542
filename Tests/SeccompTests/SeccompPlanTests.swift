import CSeccomp
import OCI
import Testing

@testable import Seccomp

@Suite("Seccomp plan: OCI section to libseccomp terms")
struct SeccompPlanTests {
  @Test func actionsResolveToLibseccompValues() throws {
    #expect(try SeccompAction.resolve("SCMP_ACT_ALLOW", errnoRet: nil) == SCMP_ACT_ALLOW)
    #expect(try SeccompAction.resolve("SCMP_ACT_KILL", errnoRet: nil) == SCMP_ACT_KILL)
    #expect(
      try SeccompAction.resolve("SCMP_ACT_KILL_THREAD", errnoRet: nil) == SCMP_ACT_KILL_THREAD)
    #expect(
      try SeccompAction.resolve("SCMP_ACT_KILL_PROCESS", errnoRet: nil) == SCMP_ACT_KILL_PROCESS)
    #expect(try SeccompAction.resolve("SCMP_ACT_TRAP", errnoRet: nil) == SCMP_ACT_TRAP)
    #expect(try SeccompAction.resolve("SCMP_ACT_LOG", errnoRet: nil) == SCMP_ACT_LOG)
    #expect(try SeccompAction.resolve("SCMP_ACT_ERRNO", errnoRet: nil) == 0x0005_0001)
    #expect(try SeccompAction.resolve("SCMP_ACT_ERRNO", errnoRet: 38) == 0x0005_0026)
    #expect(try SeccompAction.resolve("SCMP_ACT_TRACE", errnoRet: nil) == 0x7ff0_0001)
    #expect(try SeccompAction.resolve("SCMP_ACT_TRACE", errnoRet: 7) == 0x7ff0_0007)
  }

  @Test func badActionsAreRejected() {
    #expect(throws: SeccompError.unknownAction("SCMP_ACT_NOPE")) {
      try SeccompAction.resolve("SCMP_ACT_NOPE", errnoRet: nil)
    }
    #expect(throws: SeccompError.errnoNotAllowed(action: "SCMP_ACT_ALLOW")) {
      try SeccompAction.resolve("SCMP_ACT_ALLOW", errnoRet: 1)
    }
    #expect(throws: SeccompError.errnoOutOfRange(70000)) {
      try SeccompAction.resolve("SCMP_ACT_ERRNO", errnoRet: 70000)
    }
    #expect(throws: SeccompError.self) {
      try SeccompAction.resolve("SCMP_ACT_NOTIFY", errnoRet: nil)
    }
  }

  @Test func defaultErrnoRetAppliesToTheDefaultAction() throws {
    let plan = try SeccompPlan(OCI.Seccomp(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 13))
    #expect(plan.defaultAction == 0x0005_000d)
    #expect(throws: SeccompError.errnoNotAllowed(action: "SCMP_ACT_KILL")) {
      try SeccompPlan(OCI.Seccomp(defaultAction: "SCMP_ACT_KILL", defaultErrnoRet: 13))
    }
  }

  @Test func everyNameBecomesARule() throws {
    let plan = try SeccompPlan(
      OCI.Seccomp(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          OCI.SeccompSyscall(names: ["mkdir", "rmdir"], action: "SCMP_ACT_ERRNO", errnoRet: 5)
        ]))
    #expect(plan.rules.map(\.syscall) == ["mkdir", "rmdir"])
    #expect(plan.rules.allSatisfy { $0.action == 0x0005_0005 && $0.conditions.isEmpty })
  }

  @Test func rulesWithTheDefaultActionAreSkipped() throws {
    let plan = try SeccompPlan(
      OCI.Seccomp(
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [
          OCI.SeccompSyscall(names: ["mkdir"], action: "SCMP_ACT_ERRNO"),
          OCI.SeccompSyscall(names: ["rmdir"], action: "SCMP_ACT_ERRNO", errnoRet: 2),
          OCI.SeccompSyscall(names: ["getpid"], action: "SCMP_ACT_ALLOW"),
        ]))
    // Same action and errno as the default: skipped. A different errno is a different action.
    #expect(plan.rules.map(\.syscall) == ["rmdir", "getpid"])
  }

  @Test func operatorsAndArguments() throws {
    let ops = [
      ("SCMP_CMP_NE", SCMP_CMP_NE), ("SCMP_CMP_LT", SCMP_CMP_LT), ("SCMP_CMP_LE", SCMP_CMP_LE),
      ("SCMP_CMP_EQ", SCMP_CMP_EQ), ("SCMP_CMP_GE", SCMP_CMP_GE), ("SCMP_CMP_GT", SCMP_CMP_GT),
      ("SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ),
    ]
    for (name, op) in ops {
      let conditions = try SeccompPlan.conditions(
        [OCI.SeccompArg(index: 2, value: 10, valueTwo: 4, op: name)], syscall: "x")
      let datumB: UInt64 = op == SCMP_CMP_MASKED_EQ ? 4 : 0
      #expect(conditions == [SeccompCondition(index: 2, op: op, datumA: 10, datumB: datumB)])
    }
    #expect(throws: SeccompError.unknownOperator("SCMP_CMP_ALMOST", syscall: "x")) {
      try SeccompPlan.conditions(
        [OCI.SeccompArg(index: 0, value: 1, op: "SCMP_CMP_ALMOST")], syscall: "x")
    }
    #expect(throws: SeccompError.argumentIndexOutOfRange(6, syscall: "x")) {
      try SeccompPlan.conditions(
        [OCI.SeccompArg(index: 6, value: 1, op: "SCMP_CMP_EQ")], syscall: "x")
    }
  }

  @Test func argumentsOnDistinctIndexesStayInOneRule() throws {
    let plan = try SeccompPlan(
      OCI.Seccomp(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          OCI.SeccompSyscall(
            names: ["socket"], action: "SCMP_ACT_ERRNO",
            args: [
              OCI.SeccompArg(index: 0, value: 2, op: "SCMP_CMP_EQ"),
              OCI.SeccompArg(index: 1, value: 1, op: "SCMP_CMP_EQ"),
            ])
        ]))
    #expect(plan.rules.count == 1)
    #expect(plan.rules.first?.conditions.map(\.index) == [0, 1])
  }

  @Test func aRepeatedIndexSplitsIntoOneRulePerCondition() throws {
    let plan = try SeccompPlan(
      OCI.Seccomp(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          OCI.SeccompSyscall(
            names: ["personality"], action: "SCMP_ACT_ERRNO",
            args: [
              OCI.SeccompArg(index: 0, value: 1, op: "SCMP_CMP_EQ"),
              OCI.SeccompArg(index: 0, value: 2, op: "SCMP_CMP_EQ"),
              OCI.SeccompArg(index: 1, value: 3, op: "SCMP_CMP_EQ"),
            ])
        ]))
    #expect(plan.rules.count == 3)
    #expect(plan.rules.allSatisfy { $0.conditions.count == 1 })
    #expect(plan.rules.map { $0.conditions[0].datumA } == [1, 2, 3])
  }

  @Test func architecturesAndFlags() throws {
    var spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      architectures: [
        "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_X86",
      ])
    spec.flags = [
      "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    ]
    let plan = try SeccompPlan(spec)
    #expect(
      plan.architectures.map(\.name) == [
        "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64",
      ])
    #expect(
      plan.flagAttributes.map(\.attribute) == [
        SCMP_FLTATR_CTL_TSYNC, SCMP_FLTATR_CTL_LOG, SCMP_FLTATR_CTL_SSB,
      ])

    #expect(throws: SeccompError.unknownArchitecture("SCMP_ARCH_VAX")) {
      try SeccompPlan(
        OCI.Seccomp(defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_VAX"]))
    }
    #expect(throws: SeccompError.unknownArchitecture("x86_64")) {
      try SeccompPlan(OCI.Seccomp(defaultAction: "SCMP_ACT_ALLOW", architectures: ["x86_64"]))
    }
    var badFlag = OCI.Seccomp(defaultAction: "SCMP_ACT_ALLOW")
    badFlag.flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]
    #expect(throws: SeccompError.unknownFlag("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV")) {
      try SeccompPlan(badFlag)
    }
  }

  @Test func supportListsForFeatures() {
    #expect(SeccompSupport.actions.contains("SCMP_ACT_ERRNO"))
    #expect(SeccompSupport.actions.contains("SCMP_ACT_KILL_PROCESS"))
    #expect(!SeccompSupport.actions.contains("SCMP_ACT_NOTIFY"))
    #expect(SeccompSupport.operators.count == 7)
    #expect(SeccompSupport.architectures.contains("SCMP_ARCH_X86_64"))
    #expect(SeccompSupport.architectures.contains("SCMP_ARCH_AARCH64"))
    #expect(SeccompSupport.architectures.contains("SCMP_ARCH_RISCV64"))
    #expect(
      SeccompSupport.flags == [
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
      ])
  }

  @Test func errorsSayWhatFailed() {
    let text = SeccompError.unknownOperator("SCMP_CMP_X", syscall: "open").description
    #expect(text.contains("SCMP_CMP_X") && text.contains("open") && text.contains("SCMP_CMP_EQ"))
  }
}
