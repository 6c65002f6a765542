import OCI
import Seccomp

/// Where the container process gets its seccomp program: compiled by the parent (which
/// caches it, `SeccompProgramCache`) and sent in the init's config; or, when a config
/// still carries the profile itself, built here early, while allocation and file access
/// are unrestricted, so loading it is the last thing before execve.
enum SeccompLoader {
  static func build(_ spec: OCI.Seccomp) throws -> SeccompProgram {
    try SeccompFilter.build(spec).program()
  }
}
