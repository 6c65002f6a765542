// Maps `/v2/...` paths to endpoints. A repository name may hold slashes, so the
// endpoint is found from the end of the path: `<name>/manifests/<ref>`,
// `<name>/blobs/<digest>`, `<name>/blobs/uploads/[<id>]`, `<name>/tags/list`,
// `<name>/referrers/<digest>`.
import NIOHTTP1

enum RegistryRoute: Equatable {
  case base
  case catalog
  case manifest(name: String, reference: String)
  case blob(name: String, digest: String)
  case uploadStart(name: String)
  case upload(name: String, id: String)
  case tags(name: String)
  case referrers(name: String, digest: String)

  /// Nil for a path outside the API; NAME_INVALID for an endpoint with a malformed name.
  static func parse(_ path: String) throws -> RegistryRoute? {
    if path == "/v2/" || path == "/v2" { return .base }
    guard path.hasPrefix("/v2/") else { return nil }
    let rest = path.dropFirst(4)
    if rest == "_catalog" { return .catalog }
    let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    let n = parts.count
    guard n >= 2 else { return nil }
    func name(dropping k: Int) throws -> String {
      let name = parts[0..<(n - k)].joined(separator: "/")
      guard RegistryNames.isValidRepository(name) else { throw RegistryError.nameInvalid(name) }
      return name
    }
    if n >= 3 && parts[n - 3] == "blobs" && parts[n - 2] == "uploads" {
      let id = parts[n - 1]
      return id.isEmpty ? .uploadStart(name: try name(dropping: 3)) : .upload(name: try name(dropping: 3), id: id)
    }
    if parts[n - 2] == "blobs" && parts[n - 1] == "uploads" { return .uploadStart(name: try name(dropping: 2)) }
    if parts[n - 2] == "tags" && parts[n - 1] == "list" { return .tags(name: try name(dropping: 2)) }
    guard n >= 3, !parts[n - 1].isEmpty else { return nil }
    switch parts[n - 2] {
    case "manifests": return .manifest(name: try name(dropping: 2), reference: parts[n - 1])
    case "blobs": return .blob(name: try name(dropping: 2), digest: parts[n - 1])
    case "referrers": return .referrers(name: try name(dropping: 2), digest: parts[n - 1])
    default: return nil
    }
  }

  /// The access a request to this endpoint needs.
  func access(_ method: HTTPMethod) -> RegistryAccess {
    let action: String
    switch method {
    case .GET, .HEAD: action = "pull"
    case .DELETE: action = "delete"
    default: action = "push"
    }
    switch self {
    case .base: return .ping
    case .catalog: return .catalog
    case .manifest(let name, _), .blob(let name, _), .tags(let name), .referrers(let name, _):
      return .repository(name, actions: [action])
    case .uploadStart(let name), .upload(let name, _):
      // Uploads are part of a push whatever the method (distribution asks pull+push).
      return .repository(name, actions: ["pull", "push"])
    }
  }
}
