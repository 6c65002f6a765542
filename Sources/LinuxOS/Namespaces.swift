import CBerth
import Glibc

/// Linux namespace kinds, named as the OCI spec names them.
public enum NamespaceKind: String, CaseIterable, Sendable {
  case user, pid, network, ipc, uts, mount, cgroup, time

  /// The CLONE_NEW* flag.
  public var cloneFlag: Int32 {
    switch self {
    case .user: 0x1000_0000
    case .pid: 0x2000_0000
    case .network: 0x4000_0000
    case .ipc: 0x0800_0000
    case .uts: 0x0400_0000
    case .mount: 0x0002_0000
    case .cgroup: 0x0200_0000
    case .time: 0x0000_0080
    }
  }

  /// The name under /proc/PID/ns/.
  public var procName: String {
    switch self {
    case .network: "net"
    case .mount: "mnt"
    default: rawValue
    }
  }
}

public enum Namespaces {
  public static func unshare(_ flags: Int32) throws {
    try sys("unshare", "flags 0x\(String(flags, radix: 16))") { berth_unshare(flags) }
  }

  /// Joins the namespace at `path` (e.g. /proc/123/ns/net).
  public static func join(_ kind: NamespaceKind, path: String) throws {
    let fd = try FD.open(path, O_RDONLY)
    defer { FD.close(fd) }
    try sys("setns", "\(kind.rawValue) \(path)") { berth_setns(fd, kind.cloneFlag) }
  }
}
