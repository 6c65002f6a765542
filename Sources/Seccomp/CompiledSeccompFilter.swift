import CSeccomp
import Glibc

/// A built libseccomp filter. Owns the `scmp_filter_ctx` and releases it in `deinit`.
///
/// Not thread-safe; it is built and loaded in `berth-runtime init`, which is
/// single-threaded.
public final class CompiledSeccompFilter {
  let context: scmp_filter_ctx
  /// Syscall names in the spec that libseccomp does not know on this architecture;
  /// they were left out of the filter (runc ignores them too).
  public internal(set) var skippedSyscalls: [String] = []
  /// The SECCOMP_FILTER_FLAG_* bits its `flags` ask for (libseccomp passes them at load).
  var kernelFlags: UInt32 = 0

  init(context: scmp_filter_ctx) {
    self.context = context
  }

  deinit {
    seccomp_release(context)
  }

  /// Installs the filter on the calling thread (`seccomp_load`).
  ///
  /// Call it last before `execve`, after no_new_privs is set — or, when
  /// `noNewPrivileges` is false, before dropping CAP_SYS_ADMIN, which loading a filter
  /// without no_new_privs requires (as runc does).
  public func load() throws {
    let rc = seccomp_load(context)
    if rc < 0 {
      let hint =
        -rc == EACCES
        ? "loading without no_new_privs needs CAP_SYS_ADMIN; load before dropping capabilities"
        : "the kernel refused the filter"
      throw SeccompError.libseccomp(call: "seccomp_load", errno: -rc, detail: hint)
    }
  }

  /// Writes the filter's BPF program to `fd` (`seccomp_export_bpf`), for tests and
  /// debugging.
  public func exportBPF(to fd: Int32) throws {
    let rc = seccomp_export_bpf(context, fd)
    if rc < 0 {
      throw SeccompError.libseccomp(
        call: "seccomp_export_bpf", errno: -rc, detail: "writing to fd \(fd)")
    }
  }

  /// Writes the filter in libseccomp's human-readable pseudo filter code
  /// (`seccomp_export_pfc`), for tests and debugging.
  public func exportPFC(to fd: Int32) throws {
    let rc = seccomp_export_pfc(context, fd)
    if rc < 0 {
      throw SeccompError.libseccomp(
        call: "seccomp_export_pfc", errno: -rc, detail: "writing to fd \(fd)")
    }
  }

  func setAttribute(_ attribute: scmp_filter_attr, _ value: UInt32, what: String)
    throws(SeccompError)
  {
    let rc = seccomp_attr_set(context, attribute, value)
    if rc < 0 {
      throw .libseccomp(
        call: "seccomp_attr_set", errno: -rc,
        detail: "could not \(what) (unsupported by this kernel or libseccomp?)")
    }
  }
}
