// A mount description (like containerd's mount.Mount): what to mount, never mounted here
// unless a caller asks with `mount(at:)`.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public struct SnapshotMount: Codable, Sendable, Hashable {
  /// "overlay" or "bind".
  public var type: String
  public var source: String
  public var options: [String]

  public init(type: String, source: String, options: [String]) {
    self.type = type
    self.source = source
    self.options = options
  }

  /// Lower directories (topmost first) of an overlay mount.
  public var lowerDirectories: [String] {
    options.first { $0.hasPrefix("lowerdir=") }.map {
      $0.dropFirst(9).split(separator: ":").map(String.init)
    } ?? []
  }

  public var upperDirectory: String? {
    options.first { $0.hasPrefix("upperdir=") }.map { String($0.dropFirst(9)) }
  }

  public var isReadOnly: Bool {
    options.contains("ro") || (type == "overlay" && upperDirectory == nil)
  }

  /// Mounts this description at `target` (an existing directory). Needs CAP_SYS_ADMIN.
  public func mount(at target: String) throws {
    switch type {
    case "bind":
      var flags = UInt(MS_BIND)
      if options.contains("rbind") { flags |= UInt(MS_REC) }
      guard Glibc.mount(source, target, nil, flags, nil) == 0 else {
        throw SnapshotError.system(op: "mount bind \(source) on", path: target, errno: errno)
      }
      if options.contains("ro") {
        guard Glibc.mount(nil, target, nil, flags | UInt(MS_REMOUNT) | UInt(MS_RDONLY), nil) == 0
        else {
          let e = errno
          umount2(target, Int32(MNT_DETACH))
          throw SnapshotError.system(op: "remount read-only", path: target, errno: e)
        }
      }
    default:
      var flags: UInt = 0
      var data: [String] = []
      for o in options {
        switch o {
        case "ro": flags |= UInt(MS_RDONLY)
        case "rw": break
        case "nosuid": flags |= UInt(MS_NOSUID)
        case "nodev": flags |= UInt(MS_NODEV)
        case "noexec": flags |= UInt(MS_NOEXEC)
        default: data.append(o)
        }
      }
      let joined = data.joined(separator: ",")
      guard Glibc.mount(source, target, type, flags, joined) == 0 else {
        throw SnapshotError.system(op: "mount \(type) (\(joined)) on", path: target, errno: errno)
      }
    }
  }

  /// Unmounts whatever is mounted at `target`.
  public static func unmount(_ target: String, detach: Bool = false) throws {
    guard umount2(target, detach ? Int32(MNT_DETACH) : 0) == 0 else {
      throw SnapshotError.system(op: "umount", path: target, errno: errno)
    }
  }
}

extension Array where Element == SnapshotMount {
  /// Mounts each description at `target` in order.
  public func mount(at target: String) throws {
    for m in self { try m.mount(at: target) }
  }
}
