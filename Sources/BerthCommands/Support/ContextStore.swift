import EngineClient
import Glibc
import LinuxOS

/// The docker CLI's context store under the config directory: `contexts/meta/<sha256 of
/// name>/meta.json` and TLS files in `contexts/tls/<sha256 of name>/docker/`.
struct ContextStore {
  static let defaultName = "default"
  static let defaultDescription = "Current DOCKER_HOST based configuration"

  /// One context's docker endpoint (the parts berth uses; the rest of meta.json is kept).
  struct Context {
    var name: String
    var description: String
    var host: String
    var skipTLSVerify: Bool
    /// meta.json as read (nil for the in-memory default context).
    var meta: JSON?
  }

  let configDirectory: String

  var root: String { configDirectory + "/contexts" }
  func metaDirectory(_ name: String) -> String { root + "/meta/" + SHA256.hex(name) }
  func tlsDirectory(_ name: String) -> String { root + "/tls/" + SHA256.hex(name) }

  /// docker's name rule.
  static func validate(_ name: String) throws {
    let chars = Array(name.unicodeScalars)
    func allowed(_ c: Unicode.Scalar, first: Bool) -> Bool {
      let alnum = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
      return alnum || (!first && (c == "_" || c == "." || c == "+" || c == "-"))
    }
    guard chars.count >= 2, allowed(chars[0], first: true), chars.dropFirst().allSatisfy({ allowed($0, first: false) })
    else {
      throw CommandError.failure(
        "context name \(goQuote(name)) is invalid, names are validated against regexp \"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$\""
      )
    }
  }

  /// The default context: whatever DOCKER_HOST (or berth's socket) says.
  static func defaultContext(environment: [String: String]) -> Context {
    var host = environment["BERTH_HOST"] ?? ""
    if host.isEmpty { host = environment["DOCKER_HOST"] ?? "" }
    if host.isEmpty { host = "unix://" + EngineHost.defaultSocket }
    return Context(name: defaultName, description: defaultDescription, host: host, skipTLSVerify: false, meta: nil)
  }

  func load(_ name: String) throws -> Context {
    let path = metaDirectory(name) + "/meta.json"
    let meta: JSON
    do {
      meta = try JSON.parse(try Files.read(path))
    } catch let error as SystemError where error.errno == ENOENT {
      throw CommandError.failure(
        "context \(goQuote(name)): context not found: open \(path): no such file or directory")
    } catch {
      throw CommandError.failure("context \(goQuote(name)): \(error)")
    }
    return Self.context(from: meta, fallbackName: name)
  }

  static func context(from meta: JSON, fallbackName: String) -> Context {
    let docker = meta["Endpoints"]?["docker"]
    return Context(
      name: meta["Name"]?.stringValue ?? fallbackName, description: meta["Metadata"]?["Description"]?.stringValue ?? "",
      host: docker?["Host"]?.stringValue ?? "", skipTLSVerify: docker?["SkipTLSVerify"]?.boolValue ?? false,
      meta: meta)
  }

  func exists(_ name: String) -> Bool { Files.exists(metaDirectory(name) + "/meta.json") }

  /// Every stored context (unreadable ones skipped), unsorted.
  func list() -> [Context] {
    let dir = root + "/meta"
    guard let names = try? Files.list(dir) else { return [] }  // no store yet: no contexts
    return names.compactMap { hash in
      guard let bytes = try? Files.read(dir + "/" + hash + "/meta.json"), let meta = try? JSON.parse(bytes) else {
        return nil
      }
      return Self.context(from: meta, fallbackName: hash)
    }
  }

  func save(_ context: Context) throws {
    var metadata: [JSON.Member] = []
    if !context.description.isEmpty { metadata.append(.init("Description", .string(context.description))) }
    let meta = JSON.object([
      .init("Name", .string(context.name)), .init("Metadata", .object(metadata)),
      .init(
        "Endpoints",
        .object([
          .init(
            "docker",
            .object([.init("Host", .string(context.host)), .init("SkipTLSVerify", .bool(context.skipTLSVerify))]))
        ])),
    ])
    let dir = metaDirectory(context.name)
    try Files.makeDirectories(dir, mode: 0o755)
    try Files.writeAtomically(dir + "/meta.json", Array(meta.serialized().utf8), mode: 0o644, durable: false)
  }

  /// Copies TLS files (`ca`, `cert`, `key` of `--docker`) into the context's TLS directory.
  func saveTLS(_ name: String, files: [(String, String)]) throws {
    guard !files.isEmpty else { return }
    let dir = tlsDirectory(name) + "/docker"
    try Files.makeDirectories(dir, mode: 0o700)
    for (kind, source) in files {
      try Files.writeAtomically(dir + "/\(kind).pem", try Files.read(source), mode: 0o600, durable: false)
    }
  }

  func remove(_ name: String) throws {
    try Files.removeTree(metaDirectory(name))
    try Files.removeTree(tlsDirectory(name))
  }

  /// TLS settings from the context's stored files, nil when it has none and verifies.
  func tlsOptions(_ context: Context) -> TLSOptions? {
    let dir = tlsDirectory(context.name) + "/docker"
    func file(_ kind: String) -> String? { Files.exists(dir + "/\(kind).pem") ? dir + "/\(kind).pem" : nil }
    let ca = file("ca")
    let cert = file("cert")
    let key = file("key")
    guard ca != nil || cert != nil || context.skipTLSVerify else { return nil }
    return TLSOptions(verify: !context.skipTLSVerify, caFile: ca, certFile: cert, keyFile: key)
  }
}
