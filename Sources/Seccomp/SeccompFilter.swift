import CSeccomp
import Glibc
import OCI

/// Turns the OCI `linux.seccomp` section into a libseccomp filter.
public enum SeccompFilter {
  /// Builds the libseccomp filter from the OCI section.
  ///
  /// Throws ``SeccompError`` for an unknown action, operator, architecture or flag, an
  /// `errnoRet` on an action without one, an argument index above 5, or a libseccomp
  /// failure. Syscall names libseccomp does not know on this architecture are skipped,
  /// as runc does (they are listed in ``CompiledSeccompFilter/skippedSyscalls``).
  /// The filter does not set no_new_privs on load: the runtime does that itself when
  /// `process.noNewPrivileges` asks for it.
  public static func build(_ spec: OCI.Seccomp) throws -> CompiledSeccompFilter {
    try build(SeccompPlan(spec))
  }

  /// Everything that decides the BPF `build(spec).program()` makes, as bytes: the checked
  /// plan (what is handed to libseccomp) and libseccomp's version and API level. Equal
  /// inputs give equal programs, so this keys a cache of compiled programs. Throws what
  /// `build` throws for an invalid spec.
  public static func compilerInput(_ spec: OCI.Seccomp) throws -> [UInt8] {
    Array("berth seccomp \(buildVersion)\n\(SeccompSupport.compilerFingerprint)\n".utf8)
      + (try SeccompPlan(spec)).fingerprint
  }

  /// Bump when `build` hands libseccomp anything new (an attribute, a rule rewrite):
  /// programs cached by an older build then no longer match.
  static let buildVersion = 2

  static func build(_ plan: SeccompPlan) throws(SeccompError) -> CompiledSeccompFilter {
    guard let context = seccomp_init(plan.defaultAction) else {
      throw .libseccomp(
        call: "seccomp_init", errno: EINVAL,
        detail: "libseccomp rejected default action 0x\(String(plan.defaultAction, radix: 16))")
    }
    let filter = CompiledSeccompFilter(context: context)

    try filter.setAttribute(SCMP_FLTATR_CTL_NNP, 0, what: "turn off no_new_privs on load")
    // Report the kernel's errno from seccomp_load instead of libseccomp's ECANCELED.
    _ = seccomp_attr_set(context, SCMP_FLTATR_API_SYSRAWRC, 1)
    // A binary search on the syscall number instead of a linear chain of comparisons.
    try filter.setAttribute(SCMP_FLTATR_CTL_OPTIMIZE, 2, what: "optimize the filter as a binary tree")
    for flag in plan.flagAttributes {
      try filter.setAttribute(flag.attribute, 1, what: "set \(flag.name)")
      filter.kernelFlags |= SeccompFlag.kernelFlag(for: flag.name)
    }

    for arch in plan.architectures {
      let rc = seccomp_arch_add(context, arch.token)
      if rc < 0 && -rc != EEXIST {
        throw .libseccomp(call: "seccomp_arch_add", errno: -rc, detail: "adding \(arch.name)")
      }
    }

    for rule in plan.rules {
      let number = seccomp_syscall_resolve_name(rule.syscall)
      if number == __NR_SCMP_ERROR {
        if !filter.skippedSyscalls.contains(rule.syscall) {
          filter.skippedSyscalls.append(rule.syscall)
        }
        continue
      }
      let conditions = rule.conditions.map(\.cValue)
      let rc = conditions.withUnsafeBufferPointer {
        seccomp_rule_add_array(context, rule.action, number, UInt32($0.count), $0.baseAddress)
      }
      if rc < 0 {
        throw .libseccomp(
          call: "seccomp_rule_add_array", errno: -rc,
          detail: "rule for syscall \(rule.syscall) (action 0x\(String(rule.action, radix: 16)), "
            + "\(rule.conditions.count) argument condition(s))")
      }
    }
    return filter
  }
}
