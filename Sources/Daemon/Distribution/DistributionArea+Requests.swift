// What the distribution area reads from a request (names, platforms, X-Registry-Auth) and
// how it answers (progress lines, errors with dockerd's status codes).
import EngineAPI
import Images
import OCI
import Registry

extension DistributionArea {
  /// `fromImage` (maybe with a tag or digest) plus the `tag` parameter (a tag or a digest).
  static func reference(_ name: String, tag: String?) throws -> ImageReference {
    do {
      var reference = try ImageReference(parsing: name, defaultTag: false)
      if let tag, !tag.isEmpty {
        if tag.contains(":") {
          reference = try ImageReference(parsing: reference.name + "@" + tag, defaultTag: false)
        } else {
          reference = reference.withTag(tag)
        }
      }
      return reference
    } catch {
      throw EngineError.badParameter("invalid reference format: \(name)\(tag.map { ":" + $0 } ?? "")")
    }
  }

  /// `os/arch[/variant]`, as `--platform`.
  static func platform(_ text: String) throws -> Platform {
    let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
      throw EngineError.badParameter(
        "invalid platform \"\(text)\": expected os/arch[/variant] such as linux/amd64 or linux/arm64/v8")
    }
    var platform = Platform.host
    platform.os = parts[0]
    platform.architecture = parts[1]
    platform.variant = parts.count == 3 ? parts[2] : nil
    return platform
  }

  static func credentials(_ header: String?) throws -> RegistryCredentials? {
    guard let header else { return nil }
    do {
      return try RegistryAuthHeader.decode(header)?.credentials
    } catch {
      throw EngineError.badParameter("\(error)")
    }
  }

  /// The registry a `docker login` server address names: "https://index.docker.io/v1/"
  /// is Docker Hub; a URL's scheme and path go.
  static func registry(ofServerAddress address: String) -> String {
    var host = Substring(address)
    for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host = host.dropFirst(scheme.count) }
    host = host.prefix { $0 != "/" }
    if host.isEmpty || host == "index.docker.io" || host == "registry-1.docker.io" { return "docker.io" }
    return String(host)
  }

  static func message(_ event: ProgressEvent) -> ProgressMessage {
    ProgressMessage(
      status: event.status,
      progressDetail: event.current.map { ProgressDetail(current: $0, total: event.total) }, id: event.id)
  }

  /// dockerd's codes: 401 for refused credentials, 404 for what the registry does not have.
  static func engineError(_ error: any Error) -> any Error {
    guard let e = error as? RegistryError else { return error }
    switch e {
    case .unauthorized: return EngineError.unauthorized(e.description)
    case .notFound: return EngineError.notFound(e.description)
    case .invalidAuthHeader: return EngineError.badParameter(e.description)
    default: return EngineError.internal(e.description)
    }
  }
}
