import LinuxOS

/// `process.apparmorProfile`: the profile the kernel confines the process to from its
/// next execve, set as runc sets it. A host without AppArmor refuses the write, and the
/// container does not start unconfined.
enum AppArmor {
  static func confineOnExec(to profile: String) throws {
    // The AppArmor-specific file (Linux 5.8+) first: the generic one belongs to whichever
    // LSM is the major one, which may not be AppArmor.
    let path =
      Files.exists("/proc/self/attr/apparmor/exec") ? "/proc/self/attr/apparmor/exec" : "/proc/self/attr/exec"
    do {
      try Files.writeKernelFile(path, "exec \(profile)")
    } catch {
      throw RuntimeError("unable to apply apparmor profile \(profile): \(error)")
    }
  }
}
