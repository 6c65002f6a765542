/// Container ids are used as directory and cgroup names, so only a safe alphabet is accepted
/// (the same one runc accepts).
public enum ContainerID {
  public static func validate(_ id: String) throws {
    let allowed = id.utf8.allSatisfy { c in
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
        || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "+")
    }
    if id.isEmpty || !allowed || id == "." || id == ".." || id.utf8.count > 1024 {
      throw RuntimeError("invalid container id format: \(id)")
    }
  }
}
