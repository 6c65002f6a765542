import OCI
import Seccomp

/// Builds the seccomp filter early (while allocation and file access are still
/// unrestricted) so loading it is the last thing before execve.
enum SeccompLoader {
  static func build(_ spec: OCI.Seccomp) throws -> CompiledSeccompFilter {
    try SeccompFilter.build(spec)
  }
}
