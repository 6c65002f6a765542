import Cgroups
import Glibc
import LinuxOS
import OCI

extension Runtime {
  public struct ExecOptions: Sendable {
    public var process: OCI.Process
    public var consoleSocket: String?
    public var pidFile: String?
    public var preserveFDs: Int = 0
    public init(process: OCI.Process) { self.process = process }
  }

  /// Runs another process in a running container's namespaces and cgroup.
  /// Returns its pid (host view); it is this process's child when the caller is a subreaper.
  public func exec(id: String, options: ExecOptions, consoleSocketFD: Int32? = nil) throws -> Int32 {
    let record = try store.load(id)
    let status = store.status(of: record)
    guard status == "running" || status == "created" else {
      throw RuntimeError("cannot exec in a \(status) container")
    }
    let plan = NamespacePlan.joiningContainer(pid: record.pid, spec: record.spec)
    let manager = Cgroups.manager(placement: record.cgroup)
    let consoleFD = try consoleSocketFD ?? options.consoleSocket.map { try ConsoleSocket.connect($0) }
    defer { if consoleSocketFD == nil, let consoleFD { FD.close(consoleFD) } }
    var hookState = store.state(of: record)
    hookState.status = status
    let (initSpec, seccomp) = try InitConfig.splittingSeccomp(
      from: record.spec, cache: SeccompProgramCache(root: store.root))
    let config = InitConfig(
      mode: .exec, id: id, bundle: record.bundle, rootfs: record.rootfs, spec: initSpec,
      process: options.process, cgroup: record.cgroup, hasConsoleSocket: consoleFD != nil,
      preservedFDs: options.preserveFDs, joinNamespaces: plan.joins, newNamespaceFlags: 0,
      userNamespace: plan.user, hookState: hookState, seccompProgram: seccomp)
    let started = try Launcher.launch(config, emptyLayer: store.emptyLayer, fifoFD: nil, consoleSocketFD: consoleFD)
    defer { FD.close(started.channel.fd) }
    do {
      try started.proceedAndPlace()
      _ = try started.channel.expect(.ready)
    } catch {
      Glibc.kill(started.pid, SIGKILL)
      throw error
    }
    if let pidFile = options.pidFile { try PidFile.write(pidFile, pid: started.pid) }
    return started.pid
  }
}
