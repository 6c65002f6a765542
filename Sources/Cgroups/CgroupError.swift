import Glibc

/// Everything the cgroup layer can fail with. Each case names what failed and on what
/// input, so the runtime can print it to a user as is.
public enum CgroupError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A file-system call on a cgroup file or directory failed.
  case system(operation: String, path: String, errno: Int32)
  /// A limit was written and the kernel refused it.
  case write(path: String, value: String, errno: Int32)
  /// A file's content could not be parsed.
  case parse(path: String, content: String)
  /// The configuration asks for a controller that no hierarchy on this host provides.
  case controllerMissing(controller: String, needed: String)
  /// A configuration value cannot be expressed on this host's cgroup version.
  case unsupported(String)
  /// A value is out of range or inconsistent with another one.
  case invalidValue(String)
  /// The `cgroupsPath` (or container id) cannot be used.
  case invalidPath(path: String, reason: String)
  /// No usable cgroup hierarchy was found in /proc/self/mountinfo.
  case noHierarchy(String)
  /// A state change (freeze, thaw, removal) did not complete in time.
  case timeout(operation: String, path: String)

  public var description: String {
    switch self {
    case .system(let operation, let path, let err):
      return "cgroup: \(operation) \(path): \(Self.errnoText(err))"
    case .write(let path, let value, let err):
      return "cgroup: writing \"\(value)\" to \(path): \(Self.errnoText(err))"
    case .parse(let path, let content):
      return "cgroup: cannot parse \(path): \"\(content.prefix(200))\""
    case .controllerMissing(let controller, let needed):
      return
        "cgroup: the \(controller) controller is not available on this host (needed for \(needed))"
    case .unsupported(let what):
      return "cgroup: unsupported: \(what)"
    case .invalidValue(let what):
      return "cgroup: invalid value: \(what)"
    case .invalidPath(let path, let reason):
      return "cgroup: invalid cgroupsPath \"\(path)\": \(reason)"
    case .noHierarchy(let what):
      return "cgroup: no cgroup hierarchy found: \(what)"
    case .timeout(let operation, let path):
      return "cgroup: timed out waiting to \(operation) \(path)"
    }
  }

  /// The errno carried by the error, if any.
  public var errno: Int32? {
    switch self {
    case .system(_, _, let err), .write(_, _, let err): return err
    default: return nil
    }
  }

  static func errnoText(_ err: Int32) -> String {
    if let text = strerror(err) { return "\(String(cString: text)) (errno \(err))" }
    return "errno \(err)"
  }
}
