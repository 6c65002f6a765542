import CBerth
import Glibc

public enum Mounts {
  public static func mount(
    source: String, target: String, type: String?, flags: UInt, data: String? = nil
  ) throws {
    try sys("mount", "\(source) on \(target) (\(type ?? "bind"))") {
      withOptionalCString(type) { cType in
        withOptionalCString(data) { cData in
          Glibc.mount(source, target, cType, flags, cData)
        }
      }
    }
  }

  public static func unmount(_ target: String, flags: Int32 = 0) throws {
    try sys("umount2", target) { umount2(target, flags) }
  }

  public static func pivotRoot(newRoot: String, putOld: String) throws {
    try sys("pivot_root", newRoot) { berth_pivot_root(newRoot, putOld) }
  }

  /// The mount points listed in /proc/self/mountinfo (field 5), in order.
  public static func mountPoints(mountInfo: String) -> [String] {
    mountInfo.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ")
      return fields.count > 4 ? unescapeOctal(String(fields[4])) : nil
    }
  }

  /// mountinfo escapes space, tab, newline and backslash as \ooo.
  public static func unescapeOctal(_ s: String) -> String {
    guard s.contains("\\") else { return s }
    var out: [UInt8] = []
    var bytes = Array(s.utf8)[...]
    while let b = bytes.popFirst() {
      if b == UInt8(ascii: "\\"), bytes.count >= 3,
        let v = UInt8(String(decoding: bytes.prefix(3), as: UTF8.self), radix: 8)
      {
        out.append(v)
        bytes = bytes.dropFirst(3)
      } else {
        out.append(b)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
