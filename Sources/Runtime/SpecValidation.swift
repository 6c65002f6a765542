import Glibc
import LinuxOS
import OCI

/// The checks runc makes on a spec before it starts anything, with runc's messages:
/// settings that need a namespace the spec neither makes nor joins are refused
/// instead of silently changing the host.
enum SpecValidation {
  static func validate(_ spec: Spec) throws {
    let namespaces = spec.linux?.namespaces ?? []
    let listed = Set(namespaces.map(\.type))
    let linux = spec.linux
    if let name = linux?.rootfsPropagation, !name.isEmpty, MountOptions.propagationTable[name] == nil {
      throw RuntimeError("rootfsPropagation=\(name) is not supported")
    }
    if !listed.contains(NamespaceKind.mount.rawValue),
      !(linux?.maskedPaths ?? []).isEmpty || !(linux?.readonlyPaths ?? []).isEmpty
    {
      throw RuntimeError("unable to restrict sys entries without a private MNT namespace")
    }
    // berth-runtime has no SELinux support: a label it cannot apply is refused, as runc
    // refuses it on a host without SELinux, rather than ignored.
    if let label = spec.process?.selinuxLabel, !label.isEmpty {
      throw RuntimeError("selinux label is specified in config, but selinux is disabled or not supported")
    }
    if let label = linux?.mountLabel, !label.isEmpty {
      throw RuntimeError("mount label is specified in config, but selinux is disabled or not supported")
    }
    // pivot_root in the caller's own mount namespace would move the root of every host
    // process in it (runc does just that): without a mount namespace is what was meant.
    if let path = namespaces.first(where: { $0.type == NamespaceKind.mount.rawValue })?.path, !path.isEmpty,
      try isCurrentNamespace(path, kind: .mount)
    {
      throw RuntimeError(
        "mount namespace \(path) is the runtime's own: leave \"mount\" out of linux.namespaces to use it")
    }
    if let hostname = spec.hostname, !hostname.isEmpty, !listed.contains(NamespaceKind.uts.rawValue) {
      throw RuntimeError("unable to set hostname without a private UTS namespace")
    }
    let networkPath = namespaces.first { $0.type == NamespaceKind.network.rawValue }.map { $0.path ?? "" }
    for key in (linux?.sysctl ?? [:]).keys.sorted() {
      try validateSysctl(key, listed: listed, networkPath: networkPath)
    }
  }

  /// The IPC sysctls the kernel keeps per IPC namespace.
  static let ipcSysctls: Set<String> = [
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
    "kernel.shmmni", "kernel.shm_rmid_forced",
  ]

  /// `networkPath`: nil without a network namespace, "" for a new one.
  static func validateSysctl(_ key: String, listed: Set<String>, networkPath: String?) throws {
    if ipcSysctls.contains(key) || key.hasPrefix("fs.mqueue.") {
      guard listed.contains(NamespaceKind.ipc.rawValue) else {
        throw RuntimeError("sysctl \"\(key)\" is not allowed in the hosts ipc namespace")
      }
      return
    }
    if key.hasPrefix("net.") {
      guard let networkPath else { throw RuntimeError("sysctl \"\(key)\" not allowed in host network namespace") }
      if !networkPath.isEmpty, try isCurrentNamespace(networkPath, kind: .network) {
        throw RuntimeError("sysctl \"\(key)\" not allowed in host network namespace")
      }
      return
    }
    if listed.contains(NamespaceKind.uts.rawValue) {
      if key == "kernel.domainname" { return }
      if key == "kernel.hostname" {
        throw RuntimeError("sysctl \"\(key)\" is not allowed as it conflicts with the OCI \"hostname\" field")
      }
    }
    throw RuntimeError("sysctl \"\(key)\" is not in a separate kernel namespace")
  }

  /// Whether `path` names this process's namespace of `kind` ("host" meaning the caller's).
  static func isCurrentNamespace(_ path: String, kind: NamespaceKind) throws -> Bool {
    var joined = stat()
    var current = stat()
    let own = "/proc/self/ns/\(kind.procName)"
    try sys("stat", path) { stat(path, &joined) }
    try sys("stat", own) { stat(own, &current) }
    return joined.st_dev == current.st_dev && joined.st_ino == current.st_ino
  }
}
