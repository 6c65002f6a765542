// Namespaces: pid, ipc, uts, mount and network new by default; "host" modes share the
// host's; "container:<x>" joins another container's. A container on networks gets the
// network namespace the network area made for it (SpecContext.networkNamespacePath).
import OCI

extension SpecBuilder {
  /// What NetworkMode means for the container's network namespace.
  enum NetworkPlan: Equatable {
    /// A new namespace with only loopback ("none").
    case privateLoopback
    case host
    case container(String)
    /// The namespace the network area made and attached to the container's networks
    /// (bridge, default, a network's name or id).
    case sandbox
  }

  static func networkPlan(_ mode: String?) throws -> NetworkPlan {
    let m = mode ?? ""
    switch m {
    case "none": return .privateLoopback
    case "host": return .host
    default:
      if m.hasPrefix("container:") {
        let ref = String(m.dropFirst("container:".count))
        guard !ref.isEmpty else { throw DaemonError.invalid("invalid network mode: \(m)") }
        return .container(ref)
      }
      return .sandbox
    }
  }

  static func validateNetwork(_ s: ContainerSettings) throws {
    let plan = try networkPlan(s.networkMode)
    if case .container = plan {
      if !(s.dns ?? []).isEmpty { throw DaemonError.invalid("Conflicting options: dns and the network mode") }
      let published = (s.portBindings ?? [:]).values.contains { !$0.isEmpty }
      if published || s.publishAllPorts {
        throw DaemonError.invalid("conflicting options: port publishing and the container type network mode")
      }
    }
  }

  static func validateNamespaceMode(_ mode: String?) throws {
    guard let m = mode, !m.isEmpty else { return }
    if ["host", "private", "shareable", "none"].contains(m) { return }
    if m.hasPrefix("container:"), m.count > "container:".count { return }
    throw DaemonError.invalid("invalid namespace mode: \(m)")
  }

  static func namespaces(_ s: ContainerSettings, context: SpecContext) throws -> [Namespace] {
    var out = [Namespace(type: "mount")]
    switch try networkPlan(s.networkMode) {
    case .privateLoopback: out.append(Namespace(type: "network"))
    case .sandbox: out.append(Namespace(type: "network", path: context.networkNamespacePath))
    case .host: break
    case .container(let ref):
      out.append(Namespace(type: "network", path: "/proc/\(try context.containerPID(ref))/ns/net"))
    }
    for (type, mode, proc) in [("uts", s.utsMode, "uts"), ("pid", s.pidMode, "pid"), ("ipc", s.ipcMode, "ipc")] {
      let m = mode ?? ""
      if m == "host" { continue }
      if m.hasPrefix("container:") {
        let ref = String(m.dropFirst("container:".count))
        out.append(Namespace(type: type, path: "/proc/\(try context.containerPID(ref))/ns/\(proc)"))
      } else {
        out.append(Namespace(type: type))
      }
    }
    switch s.cgroupnsMode {
    case "private": out.append(Namespace(type: "cgroup"))
    case "host": break
    default: if context.cgroupNamespace { out.append(Namespace(type: "cgroup")) }
    }
    return out
  }
}
