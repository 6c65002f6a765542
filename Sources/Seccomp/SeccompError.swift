/// Why a seccomp section could not be turned into a filter, or the filter not loaded.
public enum SeccompError: Error, Equatable, CustomStringConvertible {
  /// `defaultAction` or `syscalls[].action` is not one of ``SeccompSupport/actions``.
  case unknownAction(String)
  /// An action this runtime does not implement (`SCMP_ACT_NOTIFY` needs a seccomp agent).
  case unsupportedAction(String, reason: String)
  /// `errnoRet`/`defaultErrnoRet` given for an action that returns no errno.
  case errnoNotAllowed(action: String)
  /// `errnoRet`/`defaultErrnoRet` does not fit in the 16 bits the kernel passes on.
  case errnoOutOfRange(UInt32)
  /// `syscalls[].args[].op` is not one of ``SeccompSupport/operators``.
  case unknownOperator(String, syscall: String)
  /// `syscalls[].args[].index` is not 0...5.
  case argumentIndexOutOfRange(UInt32, syscall: String)
  /// `architectures[]` is not one of ``SeccompSupport/architectures``.
  case unknownArchitecture(String)
  /// `flags[]` is not one of ``SeccompSupport/flags``.
  case unknownFlag(String)
  /// A libseccomp call failed; `errno` is the positive errno it reported.
  case libseccomp(call: String, errno: Int32, detail: String)
  /// A compiled BPF program (from the cache or the init's channel) has an impossible shape.
  case malformedProgram(String)

  public var description: String {
    switch self {
    case .unknownAction(let action):
      return
        "seccomp: unknown action \"\(action)\"; supported: \(SeccompSupport.actions.joined(separator: ", "))"
    case .unsupportedAction(let action, let reason):
      return "seccomp: action \(action) is not supported: \(reason)"
    case .errnoNotAllowed(let action):
      return
        "seccomp: errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not with \(action)"
    case .errnoOutOfRange(let value):
      return "seccomp: errnoRet \(value) is out of range (0...65535)"
    case .unknownOperator(let op, let syscall):
      return
        "seccomp: unknown operator \"\(op)\" in a rule for \(syscall); supported: \(SeccompSupport.operators.joined(separator: ", "))"
    case .argumentIndexOutOfRange(let index, let syscall):
      return "seccomp: argument index \(index) in a rule for \(syscall) is out of range (0...5)"
    case .unknownArchitecture(let arch):
      return
        "seccomp: unknown or unsupported architecture \"\(arch)\"; supported: \(SeccompSupport.architectures.joined(separator: ", "))"
    case .unknownFlag(let flag):
      return
        "seccomp: unknown or unsupported flag \"\(flag)\"; supported: \(SeccompSupport.flags.joined(separator: ", "))"
    case .libseccomp(let call, let errno, let detail):
      return "seccomp: \(call) failed (errno \(errno)): \(detail)"
    case .malformedProgram(let detail):
      return "seccomp: malformed BPF program: \(detail)"
    }
  }
}
