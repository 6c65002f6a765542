import Foundation
import OCI
import Seccomp
import Testing

/// Loads real filters into a child process (`seccomp-probe`) and checks what the
/// kernel does. Needs a kernel with seccomp filters; runs unprivileged (the probe sets
/// no_new_privs) except where marked.
@Suite("Seccomp filters on the real kernel")
struct SeccompKernelTests {
  @Test func deniedSyscallFailsWithTheConfiguredErrno() throws {
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [
        OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38)
      ])
    let result = try SeccompProbe.run(spec, ops: ["getpid", "mkdir:$DIR/made"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.lines == ["getpid=0", "mkdir=38"])
  }

  @Test func errnoDefaultsToEPERM() throws {
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO")])
    let result = try SeccompProbe.run(spec, ops: ["mkdir:$DIR/made"])
    #expect(result.errnos["mkdir"] == EPERM, "\(result.lines) \(result.stderr)")
  }

  @Test func defaultErrnoRetIsWhatUnlistedSyscallsGet() throws {
    var spec = SeccompFilter.dockerDefault
    spec.defaultErrnoRet = 13
    if var allowed = spec.syscalls?.first {
      allowed.names.removeAll { $0 == "mkdir" || $0 == "mkdirat" }
      spec.syscalls?[0] = allowed
    }
    let result = try SeccompProbe.run(spec, ops: ["getpid", "mkdir:$DIR/made"])
    #expect(result.lines == ["getpid=0", "mkdir=13"], "\(result.stderr)")
  }

  @Test func argumentsOnDifferentIndexesAreANDed() throws {
    // socket(AF_INET, SOCK_STREAM) is denied; socket(AF_UNIX, SOCK_STREAM) is not.
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [
        OCI.SeccompSyscall(
          names: ["socket"], action: "SCMP_ACT_ERRNO", errnoRet: 38,
          args: [
            OCI.SeccompArg(index: 0, value: UInt64(AF_INET), op: "SCMP_CMP_EQ"),
            OCI.SeccompArg(index: 1, value: UInt64(SOCK_STREAM.rawValue), op: "SCMP_CMP_EQ"),
          ])
      ])
    let result = try SeccompProbe.run(spec, ops: ["socket:\(AF_INET)", "socket:\(AF_UNIX)"])
    #expect(result.lines == ["socket=38", "socket=0"], "\(result.stderr)")
  }

  @Test func repeatedIndexConditionsAreORed() throws {
    // runc's rule: two conditions on one argument become two rules.
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [
        OCI.SeccompSyscall(
          names: ["personality"], action: "SCMP_ACT_ERRNO", errnoRet: 38,
          args: [
            OCI.SeccompArg(index: 0, value: 0x0100, op: "SCMP_CMP_EQ"),
            OCI.SeccompArg(index: 0, value: 0x0200, op: "SCMP_CMP_EQ"),
          ])
      ])
    let result = try SeccompProbe.run(
      spec, ops: ["personality:256", "personality:512", "personality:4294967295"])
    #expect(
      result.lines == ["personality=38", "personality=38", "personality=0"], "\(result.stderr)")
  }

  @Test func maskedEqualComparesTheMaskedArgument() throws {
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [
        OCI.SeccompSyscall(
          names: ["personality"], action: "SCMP_ACT_ERRNO", errnoRet: 38,
          args: [
            OCI.SeccompArg(index: 0, value: 0xff00, valueTwo: 0x0100, op: "SCMP_CMP_MASKED_EQ")
          ])
      ])
    let result = try SeccompProbe.run(spec, ops: ["personality:257", "personality:4294967295"])
    #expect(result.lines == ["personality=38", "personality=0"], "\(result.stderr)")
  }

  @Test func killProcessKillsWithSIGSYS() throws {
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [OCI.SeccompSyscall(names: ["getpid"], action: "SCMP_ACT_KILL_PROCESS")])
    let result = try SeccompProbe.run(spec, ops: ["getpid"])
    #expect(result.killedBySignal)
    #expect(result.status == SIGSYS)
  }

  @Test func unknownSyscallNamesDoNotStopTheFilter() throws {
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [
        OCI.SeccompSyscall(
          names: ["not_a_syscall", "mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 5)
      ])
    let result = try SeccompProbe.run(spec, ops: ["mkdir:$DIR/made"])
    #expect(result.lines == ["mkdir=5"], "\(result.stderr)")
  }

  @Test func firstRuleForASyscallWins() throws {
    // libseccomp keeps the first action given for an unconditional syscall and ignores
    // later ones (no error); runc behaves the same, so Berth does too.
    let spec = OCI.Seccomp(
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [
        OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38),
        OCI.SeccompSyscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO"),
      ])
    let result = try SeccompProbe.run(spec, ops: ["mkdir:$DIR/made"])
    #expect(result.lines == ["mkdir=38"], "\(result.stderr)")
  }

  @Test(.enabled(if: geteuid() == 0, "without root, unshare fails with EPERM even unfiltered"))
  func dockerDefaultDeniesNamespacesButAllowsTheBasics() throws {
    let result = try SeccompProbe.run(
      nil,
      ops: [
        "getpid", "mkdir:$DIR/made", "unshare-uts", "personality:4294967295", "personality:4",
        "socket:\(AF_UNIX)", "socket:40",
      ])
    #expect(
      result.lines == [
        "getpid=0", "mkdir=0", "unshare-uts=1", "personality=0", "personality=1", "socket=0",
        "socket=1",
      ], "\(result.stderr)")
  }
}
