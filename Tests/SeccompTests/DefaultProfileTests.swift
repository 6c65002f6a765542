import OCI
import Testing

@testable import Seccomp

@Suite("Docker's default profile")
struct DefaultProfileTests {
  @Test func shapeMatchesDocker() throws {
    let profile = SeccompFilter.dockerDefault
    #expect(profile.defaultAction == "SCMP_ACT_ERRNO")
    #expect(profile.defaultErrnoRet == 1)
    #if arch(x86_64)
      #expect(profile.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])
    #endif
    let allowed = Set(profile.syscalls?.first?.names ?? [])
    for name in ["read", "write", "execve", "mkdir", "pipe2", "futex", "chroot", "ptrace"] {
      #expect(allowed.contains(name), "\(name) should be allowed")
    }
    for name in [
      "mount", "unshare", "setns", "reboot", "kexec_load", "init_module", "clone", "clone3",
    ] {
      #expect(!allowed.contains(name), "\(name) should not be allowed unconditionally")
    }
    let syscalls = profile.syscalls ?? []
    let clone = syscalls.first { $0.names == ["clone"] }
    #expect(clone?.args?.first?.op == "SCMP_CMP_MASKED_EQ")
    #expect(clone?.args?.first?.value == 0x7e02_0000)
    let clone3 = syscalls.first { $0.names == ["clone3"] }
    #expect(clone3?.action == "SCMP_ACT_ERRNO" && clone3?.errnoRet == 38)
    #expect(syscalls.filter { $0.names == ["personality"] }.count == 5)
    #expect(syscalls.first { $0.names == ["socket"] }?.args?.first?.op == "SCMP_CMP_NE")
  }

  @Test func capabilitiesUnlockTheirSyscalls() {
    var caps = SeccompFilter.dockerDefaultCapabilities
    caps.insert("CAP_SYS_ADMIN")
    caps.insert("CAP_SYS_TIME")
    let profile = SeccompFilter.dockerDefault(capabilities: caps)
    let allowed = Set(profile.syscalls?.first?.names ?? [])
    for name in ["mount", "unshare", "setns", "clone", "clone3", "settimeofday"] {
      #expect(allowed.contains(name), "\(name) should be allowed with its capability")
    }
    #expect(
      !(profile.syscalls ?? []).contains { $0.names == ["clone3"] && $0.action == "SCMP_ACT_ERRNO" }
    )
    // SYS_PTRACE-style overlaps with the base list are listed once.
    #expect((profile.syscalls?.first?.names ?? []).count == allowed.count)
  }

  @Test func buildsOnThisMachine() throws {
    let filter = try SeccompFilter.build(SeccompFilter.dockerDefault)
    #expect(try FilterExport.bpf(filter).count > 8 * 100)
    // Names from other architectures are skipped, never an error.
    #expect(!filter.skippedSyscalls.contains("read"))
    _ = try SeccompFilter.build(
      SeccompFilter.dockerDefault(capabilities: ["CAP_SYS_ADMIN", "CAP_SYS_PTRACE"]))
  }
}
