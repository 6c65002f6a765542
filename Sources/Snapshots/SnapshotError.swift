#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

public enum SnapshotError: Error, CustomStringConvertible, Equatable {
  case system(op: String, path: String, errno: Int32)
  case notFound(String)
  case alreadyExists(String)
  case parentNotCommitted(key: String, parent: String)
  case notActive(String)
  case hasChildren(String, children: [String])
  case corruptState(path: String, reason: String)

  public var description: String {
    switch self {
    case .system(let op, let path, let e):
      return "snapshots: \(op) \(path): \(String(cString: strerror(e))) (errno \(e))"
    case .notFound(let k): return "snapshots: snapshot \"\(k)\" does not exist"
    case .alreadyExists(let k): return "snapshots: snapshot \"\(k)\" already exists"
    case .parentNotCommitted(let k, let p):
      return "snapshots: cannot create \"\(k)\": parent \"\(p)\" is not a committed snapshot"
    case .notActive(let k):
      return "snapshots: \"\(k)\" is not an active snapshot (only active ones can be committed)"
    case .hasChildren(let k, let c):
      return
        "snapshots: cannot remove \"\(k)\": snapshots \(c.sorted().joined(separator: ", ")) depend on it"
    case .corruptState(let p, let r): return "snapshots: state file \(p) is unreadable: \(r)"
    }
  }
}
