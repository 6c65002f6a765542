import Cgroups
import OCI
import Seccomp

/// Everything the init process needs, sent by the parent as the first sync frame.
public struct InitConfig: Codable, Sendable {
  public enum Mode: String, Codable, Sendable {
    /// A new container: build its rootfs and wait on the exec fifo.
    case create
    /// A process joining a running container's namespaces.
    case exec
  }

  public var mode: Mode
  public var id: String
  public var bundle: String
  /// The rootfs as the host sees it (absolute).
  public var rootfs: String
  /// The bundle's spec. Its `linux.seccomp` is usually left out: the parent compiles the
  /// profile and sends the program (`seccompProgram`).
  public var spec: Spec
  /// The process to run (the spec's for create; the exec'd one for exec).
  public var process: OCI.Process
  public var cgroup: CgroupPlacement
  /// Whether the child got a console socket (fd right after the fifo).
  public var hasConsoleSocket: Bool
  /// Extra fds kept as 3, 4, … in the container (runc's --preserve-fds).
  public var preservedFDs: Int
  /// Namespaces the container process joins by path, in join order.
  public var joinNamespaces: [Namespace]
  /// CLONE_NEW* flags of the namespaces it creates.
  public var newNamespaceFlags: Int32
  public var userNamespace: UserNamespaceMode
  /// The state hooks receive on stdin (pid filled in by init).
  public var hookState: ContainerState
  /// Where cgroup hierarchies are mounted, found by the parent from the mountinfo it
  /// reads anyway; nil: the init reads /proc/self/mountinfo itself (`CgroupMounts`).
  public var cgroupMountPoints: [String]?
  /// The container's seccomp filter, compiled by the parent (`SeccompProgramCache`); its
  /// profile is then left out of `spec`.
  public var seccompProgram: SeccompProgram?

  public enum UserNamespaceMode: String, Codable, Sendable {
    case none, create, join
  }

  /// `spec` without its seccomp profile, and the profile compiled: what the parent sends.
  static func splittingSeccomp(from spec: Spec, cache: SeccompProgramCache) throws -> (Spec, SeccompProgram?) {
    guard let profile = spec.linux?.seccomp else { return (spec, nil) }
    var rest = spec
    rest.linux?.seccomp = nil
    return (rest, try cache.program(for: profile))
  }

  /// The fd numbers the init finds its channels at: after the preserved ones.
  public var syncFD: Int32 { Int32(3 + preservedFDs) }
  public var fifoFD: Int32 { Int32(4 + preservedFDs) }
  public var consoleFD: Int32 { Int32(5 + preservedFDs) }
}
