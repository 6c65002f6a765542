import CSeccomp

/// OCI operator names and libseccomp's `enum scmp_compare`.
enum SeccompOperator {
  static let byName: [(name: String, value: scmp_compare)] = [
    ("SCMP_CMP_NE", SCMP_CMP_NE),
    ("SCMP_CMP_LT", SCMP_CMP_LT),
    ("SCMP_CMP_LE", SCMP_CMP_LE),
    ("SCMP_CMP_EQ", SCMP_CMP_EQ),
    ("SCMP_CMP_GE", SCMP_CMP_GE),
    ("SCMP_CMP_GT", SCMP_CMP_GT),
    ("SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ),
  ]

  static func resolve(_ name: String) -> scmp_compare? {
    byName.first { $0.name == name }?.value
  }
}
