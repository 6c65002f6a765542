import OCI

/// Entry points: find the host's cgroup layout and make a manager for one container.
public enum Cgroups {
  /// v1, v2 or hybrid, from the text of /proc/self/mountinfo.
  public static func detectMode(mountInfo: String) -> CgroupMode {
    CgroupMounts(mountInfo: mountInfo).mode
  }

  /// The mode of this process's mount namespace.
  public static func detectMode() throws -> CgroupMode {
    detectMode(mountInfo: try CgroupFS.read(path: "/proc/self/mountinfo"))
  }

  /// Where a container's cgroup goes, from given mountinfo and /proc/self/cgroup texts (pure).
  public static func placement(
    cgroupsPath: String?, containerID: String, mountInfo: String, procCgroup: String
  ) throws -> CgroupPlacement {
    try CgroupPaths.resolve(
      cgroupsPath: cgroupsPath, containerID: containerID,
      mounts: CgroupMounts(mountInfo: mountInfo),
      own: ProcCgroup(procCgroup))
  }

  /// cgroupsPath semantics as runc's cgroupfs driver (see `CgroupPaths`).
  public static func manager(cgroupsPath: String?, containerID: String) throws -> CgroupManager {
    let placement = try placement(
      cgroupsPath: cgroupsPath, containerID: containerID,
      mountInfo: try CgroupFS.read(path: "/proc/self/mountinfo"),
      procCgroup: try CgroupFS.read(path: "/proc/self/cgroup"))
    return manager(placement: placement)
  }

  /// A manager for a placement stored earlier (state JSON).
  public static func manager(placement: CgroupPlacement) -> CgroupManager {
    switch placement.mode {
    case .v2:
      return CgroupV2Manager(path: placement.paths[CgroupPlacement.unifiedKey] ?? "")
    case .v1, .hybrid:
      return CgroupV1Manager(placement: placement)
    }
  }
}
