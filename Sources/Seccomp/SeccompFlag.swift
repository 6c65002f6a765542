import CSeccomp

/// OCI `flags` names, the libseccomp filter attributes that set them, and the kernel's
/// SECCOMP_FILTER_FLAG_* bit (linux/seccomp.h) a precompiled program loads with.
enum SeccompFlag {
  /// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs libseccomp 2.6 and is not listed.
  static let byName: [(name: String, attribute: scmp_filter_attr, kernelFlag: UInt32)] = [
    ("SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC, 1),
    ("SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG, 2),
    ("SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB, 4),
  ]

  static func attribute(for name: String) -> scmp_filter_attr? {
    byName.first { $0.name == name }?.attribute
  }

  static func kernelFlag(for name: String) -> UInt32 {
    byName.first { $0.name == name }?.kernelFlag ?? 0
  }

  static let kernelFlagMask: UInt32 = byName.reduce(0) { $0 | $1.kernelFlag }
}
