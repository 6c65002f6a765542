import EngineClient
import Glibc
import LinuxOS

/// The docker CLI's config file (`config.json` in `--config`, `DOCKER_CONFIG` or
/// `~/.docker`), read and written as docker does: unknown keys are kept in their order,
/// the file is rewritten whole (tab-indented, mode 0600) through a temporary file.
struct ClientConfig {
  let directory: String
  var json: JSON

  /// The config directory for this invocation.
  static func directory(flag: String?, environment: [String: String]) -> String {
    if let flag, !flag.isEmpty { return flag }
    if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty { return dir }
    return (environment["HOME"] ?? "") + "/.docker"
  }

  var path: String { directory + "/config.json" }

  /// Loads the file; a missing one is an empty config, a broken one an error (as docker).
  static func load(directory: String) throws -> ClientConfig {
    let path = directory + "/config.json"
    guard Files.exists(path) else { return ClientConfig(directory: directory, json: .object([])) }
    let bytes: [UInt8]
    do {
      bytes = try Files.read(path)
    } catch {
      throw CommandError.failure("loading config file: \(path): \(error)")
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      return ClientConfig(directory: directory, json: .object([]))
    }
    do {
      return ClientConfig(directory: directory, json: try JSON.parse(bytes))
    } catch {
      throw CommandError.failure("loading config file: \(path): \(error)")
    }
  }

  func save() throws {
    try Files.makeDirectories(directory, mode: 0o700)
    let text = json.pretty(indent: "\t")
    try Files.writeAtomically(path, Array(text.utf8), mode: 0o600, durable: false)
  }

  var detachKeys: String? { json["detachKeys"]?.stringValue }
  var currentContext: String? { json["currentContext"]?.stringValue }
  var credsStore: String? { json["credsStore"]?.stringValue }

  /// The credential helper configured for `registry` (credHelpers, else credsStore).
  func credentialHelper(for registry: String) -> String? {
    if let helper = json["credHelpers"]?[registry]?.stringValue, !helper.isEmpty { return helper }
    if let store = credsStore, !store.isEmpty { return store }
    return nil
  }

  /// Sets (or with nil removes) a top-level key, keeping the others' order.
  mutating func set(_ key: String, _ value: JSON?) {
    var members = json.objectValue ?? []
    if let value {
      if let i = members.firstIndex(where: { $0.key == key }) {
        members[i].value = value
      } else {
        members.append(JSON.Member(key, value))
      }
    } else {
      members.removeAll { $0.key == key }
    }
    json = .object(members)
  }
}

extension CommandContext {
  /// The config of this invocation (loaded once per call; commands that write reload).
  func loadConfig() throws -> ClientConfig {
    try ClientConfig.load(directory: ClientConfig.directory(flag: configFlag, environment: environment))
  }
}
