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
}
