import LinuxOS
import OCI

/// Which namespaces a container creates and which it joins, from the spec.
struct NamespacePlan: Equatable {
  var newFlags: Int32 = 0
  var joins: [Namespace] = []
  var user: InitConfig.UserNamespaceMode = .none

  init(_ namespaces: [Namespace]) throws {
    var seen = Set<String>()
    for ns in namespaces {
      guard let kind = NamespaceKind(rawValue: ns.type) else {
        throw RuntimeError("unknown namespace type \(ns.type)")
      }
      guard seen.insert(ns.type).inserted else { throw RuntimeError("duplicate namespace \(ns.type)") }
      if let path = ns.path, !path.isEmpty {
        joins.append(ns)
        if kind == .user { user = .join }
      } else {
        newFlags |= kind.cloneFlag
        if kind == .user { user = .create }
      }
    }
  }

  /// An exec joins every namespace the container's init lives in.
  static func joiningContainer(pid: Int32, spec: Spec) -> NamespacePlan {
    var plan = (try? NamespacePlan([])) ?? NamespacePlan.empty
    for ns in spec.linux?.namespaces ?? [] {
      guard let kind = NamespaceKind(rawValue: ns.type) else { continue }
      plan.joins.append(Namespace(type: ns.type, path: "/proc/\(pid)/ns/\(kind.procName)"))
      if kind == .user { plan.user = .join }
    }
    return plan
  }

  private init() {}
  private static var empty: NamespacePlan { NamespacePlan() }
}
