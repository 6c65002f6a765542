import CSeccomp

/// OCI `flags` names and the libseccomp filter attributes that set them.
enum SeccompFlag {
  /// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs libseccomp 2.6 and is not listed.
  static let byName: [(name: String, attribute: scmp_filter_attr)] = [
    ("SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC),
    ("SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG),
    ("SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB),
  ]

  static func attribute(for name: String) -> scmp_filter_attr? {
    byName.first { $0.name == name }?.attribute
  }
}
