/// One line of /proc/self/mountinfo, reduced to what cgroup discovery needs.
public struct MountInfoEntry: Sendable, Equatable {
  /// The directory inside the mounted file system that is mounted (field 4).
  public var root: String
  public var mountPoint: String
  public var fsType: String
  public var superOptions: [String]

  /// Parses one mountinfo line; nil for malformed lines. Split on bytes, not Characters:
  /// grapheme breaking made a mountinfo parse cost about 0.2 ms, on every container start.
  public init?(line: Substring) {
    let fields = line.utf8.split(separator: UInt8(ascii: " "))
    guard let dash = fields.firstIndex(where: { $0.elementsEqual("-".utf8) }), dash >= 6, dash + 3 < fields.count
    else {
      return nil
    }
    root = Self.unescape(Substring(fields[3]))
    mountPoint = Self.unescape(Substring(fields[4]))
    fsType = String(Substring(fields[dash + 1]))
    superOptions = fields[dash + 3].split(separator: UInt8(ascii: ",")).map { String(Substring($0)) }
  }

  /// The lines of a /proc text, split on bytes like the fields.
  public static func lines(_ text: String) -> [Substring] {
    text.utf8.split(separator: UInt8(ascii: "\n")).map { Substring($0) }
  }

  /// mountinfo escapes space, tab, newline and backslash as \ooo (octal).
  static func unescape(_ field: Substring) -> String {
    guard field.utf8.contains(0x5C) else { return String(field) }
    var bytes: [UInt8] = []
    let utf8 = Array(field.utf8)
    var i = 0
    while i < utf8.count {
      if utf8[i] == 0x5C, i + 3 < utf8.count,
        let value = UInt8(String(decoding: utf8[(i + 1)...(i + 3)], as: UTF8.self), radix: 8)
      {
        bytes.append(value)
        i += 4
      } else {
        bytes.append(utf8[i])
        i += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// The cgroup hierarchies mounted in this mount namespace.
public struct CgroupMounts: Sendable, Equatable {
  public struct Hierarchy: Sendable, Equatable {
    public var mountPoint: String
    /// The cgroup that is the root of this mount (non-"/" inside a cgroup namespace or bind mount).
    public var root: String
  }

  /// v1 controller name ("memory", "cpu", "name=systemd") to its hierarchy.
  public var v1: [String: Hierarchy] = [:]
  /// The cgroup2 hierarchy, if mounted.
  public var unified: Hierarchy?

  /// v1 controllers this implementation knows; named hierarchies ("name=…") are kept too.
  static let knownV1Controllers: Set<String> = [
    "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "hugetlb",
    "net_cls", "net_prio", "perf_event", "rdma", "misc",
  ]

  public init(v1: [String: Hierarchy] = [:], unified: Hierarchy? = nil) {
    self.v1 = v1
    self.unified = unified
  }

  /// Reads every cgroup and cgroup2 mount; the first mount of a controller wins.
  public init(mountInfo: String) {
    for line in MountInfoEntry.lines(mountInfo) {
      guard let entry = MountInfoEntry(line: line) else { continue }
      let hierarchy = Hierarchy(mountPoint: entry.mountPoint, root: entry.root)
      switch entry.fsType {
      case "cgroup2":
        if unified == nil { unified = hierarchy }
      case "cgroup":
        for option in entry.superOptions
        where Self.knownV1Controllers.contains(option) || option.hasPrefix("name=") {
          if v1[option] == nil { v1[option] = hierarchy }
        }
      default:
        continue
      }
    }
  }

  /// v1 hierarchies that hold at least one real controller (not only a named hierarchy).
  public var hasV1Controllers: Bool {
    v1.keys.contains { !$0.hasPrefix("name=") }
  }

  public var mode: CgroupMode {
    if hasV1Controllers { return unified == nil ? .v1 : .hybrid }
    if unified != nil { return .v2 }
    return .v1
  }
}

/// /proc/self/cgroup: "hierarchy-id:controllers:path" per line; "0::path" is the cgroup2 one.
public struct ProcCgroup: Sendable, Equatable {
  /// v1 controller name (or "name=…") to the cgroup path.
  public var v1: [String: String] = [:]
  /// Path in the cgroup2 hierarchy.
  public var unified: String?

  public init(_ text: String) {
    for line in MountInfoEntry.lines(text) {
      let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count == 3 else { continue }
      let path = String(parts[2])
      if parts[0] == "0" && parts[1].isEmpty {
        unified = path
      } else {
        for controller in parts[1].split(separator: ",") { v1[String(controller)] = path }
      }
    }
  }
}
