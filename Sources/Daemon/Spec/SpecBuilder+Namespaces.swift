// Namespaces: pid, ipc, uts, mount and network new by default; "host" modes share the
// host's; "container:<x>" joins another container's. Networking beyond a private
// namespace with loopback (bridge, user networks, published ports) is not there yet.
import OCI

extension SpecBuilder {
  /// What NetworkMode means for the container.
  enum NetworkPlan: Equatable {
    /// A new network namespace with only loopback ("none", and the default for now).
    case privateLoopback
    case host
    case container(String)
  }

  static let networkNotSupported =
    "is not supported yet: Berth has no bridge or user-defined networks; use --network none, host or container:<name>"

  static func networkPlan(_ mode: String?) throws -> NetworkPlan {
    let m = mode ?? ""
    switch m {
    case "", "default", "none": return .privateLoopback
    case "host": return .host
    case "bridge": throw DaemonError.notSupported("network mode \"bridge\" " + networkNotSupported)
    default:
      if m.hasPrefix("container:") {
        let ref = String(m.dropFirst("container:".count))
        guard !ref.isEmpty else { throw DaemonError.invalid("invalid network mode: \(m)") }
        return .container(ref)
      }
      throw DaemonError.notSupported("network \"\(m)\" " + networkNotSupported)
    }
  }

  static func validateNetwork(_ s: ContainerSettings) throws {
    let plan = try networkPlan(s.networkMode)
    let published = (s.portBindings ?? [:]).values.contains { !$0.isEmpty }
    if published || s.publishAllPorts {
      throw DaemonError.notSupported(
        "publishing ports (-p/-P) is not supported yet: Berth has no bridge network or port forwarding; "
          + "use --network host to reach the container's ports")
    }
    if case .container = plan, !(s.dns ?? []).isEmpty {
      throw DaemonError.invalid("Conflicting options: dns and the network mode")
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
