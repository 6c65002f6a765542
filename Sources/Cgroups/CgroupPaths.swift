/// Turns a config's `cgroupsPath` into one directory per hierarchy, with the semantics of
/// runc's cgroupfs driver:
/// - absolute (`/a/b`): under each hierarchy's mount point;
/// - relative (`a/b`): under the caller's own cgroup from /proc/self/cgroup (on pure v2, under
///   its *parent*, since the caller's cgroup usually holds processes and a cgroup with
///   processes cannot enable controllers for children);
/// - unset: relative, named after the container id (runc's default);
/// - systemd style (`slice:prefix:name`): rejected, as Berth has no systemd driver.
public enum CgroupPaths {
  public static func resolve(
    cgroupsPath: String?, containerID: String, mounts: CgroupMounts, own: ProcCgroup
  ) throws -> CgroupPlacement {
    let requested = cgroupsPath ?? ""
    if isSystemdStyle(requested) {
      throw CgroupError.invalidPath(
        path: requested,
        reason:
          "systemd-style \"slice:prefix:name\" paths need the systemd cgroup driver, which Berth does not support; use a plain path such as /berth/<id>"
      )
    }
    let inner: String
    if requested.isEmpty {
      guard !containerID.isEmpty else {
        throw CgroupError.invalidPath(
          path: requested, reason: "no cgroupsPath and no container id to name the cgroup")
      }
      inner = clean(containerID)
    } else {
      inner = clean(requested)
    }
    if inner.isEmpty || inner == "/" {
      throw CgroupError.invalidPath(
        path: requested.isEmpty ? containerID : requested,
        reason:
          "it resolves to the caller's own or the root cgroup; a container needs a cgroup of its own"
      )
    }
    let absolute = inner.hasPrefix("/")
    let mode = mounts.mode
    var paths: [String: String] = [:]

    if mode == .v1 || mode == .hybrid {
      for (controller, hierarchy) in mounts.v1 {
        if absolute {
          paths[controller] = join(hierarchy.mountPoint, inner)
        } else {
          let base = relative(own.v1[controller] ?? "/", to: hierarchy.root)
          paths[controller] = join(join(hierarchy.mountPoint, base), inner)
        }
      }
    }
    if let unified = mounts.unified, mode == .v2 || mode == .hybrid {
      if absolute {
        paths[CgroupPlacement.unifiedKey] = join(unified.mountPoint, inner)
      } else {
        var base = relative(own.unified ?? "/", to: unified.root)
        // Pure v2: a cgroup with processes cannot give controllers to children, so go one up.
        if mode == .v2 { base = parent(base) }
        paths[CgroupPlacement.unifiedKey] = join(join(unified.mountPoint, base), inner)
      }
    }
    if paths.isEmpty {
      throw CgroupError.noHierarchy(
        "no cgroup or cgroup2 file system is mounted (see /proc/self/mountinfo)")
    }
    return CgroupPlacement(mode: mode, paths: paths)
  }

  /// "a:b:c" with no leading slash is how systemd-driver paths look (runc's `slice:prefix:name`).
  static func isSystemdStyle(_ path: String) -> Bool {
    !path.hasPrefix("/") && path.split(separator: ":", omittingEmptySubsequences: false).count == 3
  }

  /// Lexically cleans a path so it cannot climb above its start ("../x" → "x", "/a/../../b" → "/b").
  public static func clean(_ path: String) -> String {
    var parts: [Substring] = []
    for component in path.split(separator: "/") {
      switch component {
      case ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(component)
      }
    }
    let joined = parts.joined(separator: "/")
    return path.hasPrefix("/") ? "/" + joined : joined
  }

  /// The part of `path` below a mount's root cgroup (as absolute path).
  static func relative(_ path: String, to root: String) -> String {
    let cleaned = clean(path.hasPrefix("/") ? path : "/" + path)
    let cleanRoot = clean(root.hasPrefix("/") ? root : "/" + root)
    if cleanRoot == "/" { return cleaned }
    if cleaned == cleanRoot { return "/" }
    if cleaned.hasPrefix(cleanRoot + "/") { return String(cleaned.dropFirst(cleanRoot.count)) }
    return cleaned
  }

  static func parent(_ path: String) -> String {
    CgroupFS.dirname(path)
  }

  static func join(_ base: String, _ rest: String) -> String {
    let tail = rest.drop(while: { $0 == "/" })
    if tail.isEmpty { return base }
    return base.hasSuffix("/") ? base + tail : base + "/" + tail
  }
}
