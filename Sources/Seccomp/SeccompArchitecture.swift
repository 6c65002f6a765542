import CSeccomp

/// OCI architecture names (`SCMP_ARCH_*`) and libseccomp's architecture tokens.
enum SeccompArchitecture {
  /// Every name the OCI runtime spec lists; ``supportedNames`` keeps those the linked
  /// libseccomp knows.
  static let specNames = [
    "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
    "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
    "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
    "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
    "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
    "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
  ]

  static let supportedNames = specNames.filter { token(for: $0) != nil }

  /// libseccomp's token for an `SCMP_ARCH_*` name, or nil when it does not know it.
  /// libseccomp names architectures by the lower-cased suffix ("x86_64", "mipsel64n32").
  static func token(for name: String) -> UInt32? {
    let prefix = "SCMP_ARCH_"
    guard name.hasPrefix(prefix), name.count > prefix.count else { return nil }
    let short = String(name.dropFirst(prefix.count)).lowercased()
    let token = seccomp_arch_resolve_name(short)
    return token == 0 ? nil : token
  }
}
