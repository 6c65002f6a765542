// `--init` (HostConfig.Init): berth-init bind-mounted read-only where Docker puts its
// docker-init, running the container's command as its child (moby's oci_linux.go).
import OCI

extension SpecBuilder {
  /// Where the init is mounted in the container: Docker's path, which images and scripts know.
  public static let initPath = "/sbin/docker-init"

  /// The container's --init, else the daemon's default; never in a shared PID namespace,
  /// where the init would not be PID 1 (moby applies it only to a private one).
  static func usesInit(_ s: ContainerSettings, context: SpecContext) -> Bool {
    let pidMode = s.pidMode ?? ""
    guard pidMode.isEmpty || pidMode == "private" || pidMode == "shareable" else { return false }
    return s.initProcess ?? context.defaultInit
  }

  /// The host's berth-init when the container runs under it, else nil.
  static func initBinary(_ s: ContainerSettings, context: SpecContext) throws -> String? {
    guard usesInit(s, context: context) else { return nil }
    guard let binary = context.initBinary else {
      throw DaemonError.system(
        "--init needs berth-init, found neither next to berthd nor in PATH (install it with scripts/install.sh)")
    }
    return binary
  }

  /// The init's argv prefix: it runs what follows "--" as its child.
  static func initArguments(_ binary: String?) -> [String] { binary == nil ? [] : [initPath, "--"] }

  static func initMounts(_ binary: String?) -> [Mount] {
    guard let binary else { return [] }
    return [Mount(destination: initPath, type: "bind", source: binary, options: ["bind", "ro"])]
  }
}
