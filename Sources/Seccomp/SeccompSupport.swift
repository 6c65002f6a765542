import CSeccomp

/// What this build supports, for `berth-runtime features` (runc lists the same).
public enum SeccompSupport {
  /// Actions accepted in `defaultAction` and `syscalls[].action`. SCMP_ACT_NOTIFY is
  /// absent: there is no seccomp agent (listenerPath) support.
  public static let actions: [String] = SeccompAction.supportedNames
  /// Operators accepted in `syscalls[].args[].op`.
  public static let operators: [String] = SeccompOperator.byName.map(\.name)
  /// Architectures the linked libseccomp knows.
  public static let architectures: [String] = SeccompArchitecture.supportedNames
  /// Flags accepted in `flags`.
  public static let flags: [String] = SeccompFlag.byName.map(\.name)

  /// What else, besides the profile, decides the BPF libseccomp generates: its version
  /// and the API level it found in the kernel. Part of a compiled program's cache key.
  public static var compilerFingerprint: String {
    let version = seccomp_version()?.pointee
    return "libseccomp \(version?.major ?? 0).\(version?.minor ?? 0).\(version?.micro ?? 0) api \(seccomp_api_get())"
  }
}
