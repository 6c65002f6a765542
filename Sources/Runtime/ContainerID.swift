/// Container ids are used as directory and cgroup names, so only a safe alphabet is accepted
/// (the same one runc accepts).
public enum ContainerID {
  /// Entries of the state directory that are not containers (`StateStore.emptyLayer`,
  /// `SeccompProgramCache`).
  static let reserved: Set<String> = [".empty", ".seccomp"]

  public static func validate(_ id: String) throws {
    let allowed = id.utf8.allSatisfy { c in
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
        || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "+")
    }
    if id.isEmpty || !allowed || id == "." || id == ".." || id.utf8.count > 1024 {
      throw RuntimeError("invalid container id format: \(id)")
    }
    if reserved.contains(id) {
      throw RuntimeError("container id \(id) is reserved: the runtime keeps its own state under that name")
    }
  }
}
