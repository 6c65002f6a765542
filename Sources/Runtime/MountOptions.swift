/// Turns an OCI mount's `options` into mount(2) flags, propagation changes and the
/// filesystem-specific data string. Pure, so it is tested without a kernel.
public struct MountOptions: Equatable, Sendable {
  public var flags: UInt = 0
  /// Flags cleared by options such as "rw", "suid", "dev".
  public var clearedFlags: UInt = 0
  public var propagation: [UInt] = []
  public var data: [String] = []
  public var isBind: Bool { flags & MountFlag.bind != 0 }
  public var isRecursive: Bool { flags & MountFlag.recursive != 0 }

  public init(_ options: [String]) {
    for option in options {
      if let (set, value) = Self.flagTable[option] {
        if set {
          flags |= value
          clearedFlags &= ~value
        } else {
          flags &= ~value
          clearedFlags |= value
        }
      } else if let value = Self.propagationTable[option] {
        propagation.append(value)
      } else if option == "bind" {
        flags |= MountFlag.bind
      } else if option == "rbind" {
        flags |= MountFlag.bind | MountFlag.recursive
      } else if option == "tmpcopyup" || option.hasPrefix("idmap") || option.hasPrefix("ridmap") {
        continue  // not supported; ignored like runc ignores unknown extensions
      } else {
        data.append(option)
      }
    }
  }

  /// Flags that a bind mount only honours on a second, remount pass.
  public var flagsNeedingRemount: UInt {
    flags
      & (MountFlag.readOnly | MountFlag.noSuid | MountFlag.noDev | MountFlag.noExec
        | MountFlag.noAtime | MountFlag.noDirAtime | MountFlag.relAtime | MountFlag.strictAtime)
  }

  static let flagTable: [String: (Bool, UInt)] = [
    "ro": (true, MountFlag.readOnly), "rw": (false, MountFlag.readOnly),
    "nosuid": (true, MountFlag.noSuid), "suid": (false, MountFlag.noSuid),
    "nodev": (true, MountFlag.noDev), "dev": (false, MountFlag.noDev),
    "noexec": (true, MountFlag.noExec), "exec": (false, MountFlag.noExec),
    "sync": (true, MountFlag.synchronous), "async": (false, MountFlag.synchronous),
    "dirsync": (true, MountFlag.dirSync), "remount": (true, MountFlag.remount),
    "mand": (true, MountFlag.mandatoryLock), "nomand": (false, MountFlag.mandatoryLock),
    "atime": (false, MountFlag.noAtime), "noatime": (true, MountFlag.noAtime),
    "diratime": (false, MountFlag.noDirAtime), "nodiratime": (true, MountFlag.noDirAtime),
    "relatime": (true, MountFlag.relAtime), "norelatime": (false, MountFlag.relAtime),
    "strictatime": (true, MountFlag.strictAtime), "nostrictatime": (false, MountFlag.strictAtime),
  ]

  static let propagationTable: [String: UInt] = [
    "private": MountFlag.private, "rprivate": MountFlag.private | MountFlag.recursive,
    "shared": MountFlag.shared, "rshared": MountFlag.shared | MountFlag.recursive,
    "slave": MountFlag.slave, "rslave": MountFlag.slave | MountFlag.recursive,
    "unbindable": MountFlag.unbindable, "runbindable": MountFlag.unbindable | MountFlag.recursive,
  ]
}

/// mount(2) flags (linux/mount.h).
public enum MountFlag {
  public static let readOnly: UInt = 1
  public static let noSuid: UInt = 2
  public static let noDev: UInt = 4
  public static let noExec: UInt = 8
  public static let synchronous: UInt = 16
  public static let remount: UInt = 32
  public static let mandatoryLock: UInt = 64
  public static let dirSync: UInt = 128
  public static let noAtime: UInt = 1024
  public static let noDirAtime: UInt = 2048
  public static let bind: UInt = 4096
  public static let move: UInt = 8192
  public static let recursive: UInt = 16384
  public static let unbindable: UInt = 1 << 17
  public static let `private`: UInt = 1 << 18
  public static let slave: UInt = 1 << 19
  public static let shared: UInt = 1 << 20
  public static let relAtime: UInt = 1 << 21
  public static let strictAtime: UInt = 1 << 24
}
