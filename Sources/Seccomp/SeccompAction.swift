/// OCI action names and the libseccomp action values they stand for (seccomp.h's
/// `SCMP_ACT_*`; the function-like macros are not importable, so the values live here).
enum SeccompAction {
  static let killProcess: UInt32 = 0x8000_0000
  static let killThread: UInt32 = 0x0000_0000
  static let trap: UInt32 = 0x0003_0000
  static let notify: UInt32 = 0x7fc0_0000
  static let log: UInt32 = 0x7ffc_0000
  static let allow: UInt32 = 0x7fff_0000
  static func errno(_ value: UInt32) -> UInt32 { 0x0005_0000 | (value & 0xffff) }
  static func trace(_ value: UInt32) -> UInt32 { 0x7ff0_0000 | (value & 0xffff) }

  /// EPERM: what SCMP_ACT_ERRNO and SCMP_ACT_TRACE return when the spec gives no errno.
  static let defaultErrno: UInt32 = 1

  /// Names accepted in `defaultAction` and `syscalls[].action`.
  static let supportedNames = [
    "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",
  ]

  /// The libseccomp action for `name`; `errnoRet` only with SCMP_ACT_ERRNO / SCMP_ACT_TRACE.
  static func resolve(_ name: String, errnoRet: UInt32?) throws(SeccompError) -> UInt32 {
    if let errnoRet, errnoRet > 0xffff { throw .errnoOutOfRange(errnoRet) }
    switch name {
    case "SCMP_ACT_ERRNO": return errno(errnoRet ?? defaultErrno)
    case "SCMP_ACT_TRACE": return trace(errnoRet ?? defaultErrno)
    default: break
    }
    let plain: UInt32
    switch name {
    case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": plain = killThread
    case "SCMP_ACT_KILL_PROCESS": plain = killProcess
    case "SCMP_ACT_TRAP": plain = trap
    case "SCMP_ACT_ALLOW": plain = allow
    case "SCMP_ACT_LOG": plain = log
    case "SCMP_ACT_NOTIFY":
      throw .unsupportedAction(
        name,
        reason: "berth-runtime has no seccomp agent support (listenerPath); use another action")
    default: throw .unknownAction(name)
    }
    if errnoRet != nil { throw .errnoNotAllowed(action: name) }
    return plain
  }
}
