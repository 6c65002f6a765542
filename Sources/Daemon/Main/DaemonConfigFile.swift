// dockerd's daemon.json for berthd: the keys are the long flag names ("hosts" for -H),
// turned into flags so that one parser and one set of checks serves both.
import EngineAPI
import LinuxOS

enum DaemonConfigFile {
  private enum Kind { case string, bool, strings, runtimes, number, addressPools }

  private static let keys: [String: Kind] = [
    "hosts": .strings, "data-root": .string, "exec-root": .string, "log-level": .string,
    "cgroup-parent": .string, "init": .bool, "init-path": .string, "tls": .bool, "tlsverify": .bool,
    "tlscacert": .string, "tlscert": .string, "tlskey": .string, "log-format": .string,
    "default-runtime": .string, "runtimes": .runtimes, "insecure-registries": .strings, "registry-mirrors": .strings,
    "bridge": .string, "bip": .string, "mtu": .number, "dns": .strings, "default-address-pools": .addressPools,
  ]

  /// The flag each list key repeats.
  private static let listFlags = [
    "hosts": "--host", "insecure-registries": "--insecure-registry", "registry-mirrors": "--registry-mirror",
    "dns": "--dns",
  ]

  /// The config-file name of a command-line flag ("-H" → "hosts").
  static func key(forFlag flag: String) -> String {
    switch flag {
    case "-H", "--host": return "hosts"
    case "-l": return "log-level"
    case "-b": return "bridge"
    case "--add-runtime": return "runtimes"
    case "--insecure-registry": return "insecure-registries"
    case "--registry-mirror": return "registry-mirrors"
    case "--default-address-pool": return "default-address-pools"
    default: return String(flag.drop { $0 == "-" })
    }
  }

  /// The settings of the file at `path` as flags. Refuses malformed JSON, unknown keys,
  /// values of the wrong type, and keys that `alsoSetByFlag` says the command line set.
  static func arguments(path: String, alsoSetByFlag flagged: Set<String>) throws -> [String] {
    let bytes: [UInt8]
    do {
      bytes = try Files.read(path)
    } catch {
      throw DaemonError.invalid("unable to read the configuration file \(path): \(error)")
    }
    return try arguments(bytes, path: path, alsoSetByFlag: flagged)
  }

  static func arguments(_ bytes: [UInt8], path: String, alsoSetByFlag flagged: Set<String>) throws -> [String] {
    func fail(_ why: String) -> DaemonError {
      DaemonError.invalid("unable to configure the daemon with file \(path): \(why)")
    }
    guard case .object(let settings)? = try? EngineJSON.decode(JSONValue.self, from: bytes) else {
      throw fail("it is not a JSON object")
    }
    let unknown = settings.keys.filter { keys[$0] == nil }.sorted()
    if !unknown.isEmpty {
      throw fail("the following directives don't match any configuration option: \(unknown.joined(separator: ", "))")
    }
    let both = settings.keys.filter(flagged.contains).sorted()
    if !both.isEmpty {
      throw fail(
        "the following directives are specified both as a flag and in the configuration file: "
          + both.joined(separator: ", "))
    }
    var args: [String] = []
    for key in settings.keys.sorted() {
      switch (keys[key], settings[key]) {
      case (.string?, .string(let value)?): args.append("--\(key)=\(value)")
      case (.bool?, .bool(let value)?): args.append("--\(key)=\(value)")
      case (.number?, .number(let value)?) where value == value.rounded() && value >= 0:
        args.append("--\(key)=\(Int(value))")
      case (.strings?, .array(let values)?):
        for v in values {
          guard case .string(let value) = v, let flag = listFlags[key] else {
            throw fail("\(key) must be a list of strings")
          }
          args.append("\(flag)=\(value)")
        }
      case (.addressPools?, .array(let pools)?):
        // dockerd's [{"base": "10.10.0.0/16", "size": 24}], as --default-address-pool.
        for pool in pools {
          guard case .object(let p) = pool, case .string(let base)? = p["base"], case .number(let size)? = p["size"]
          else { throw fail("default-address-pools needs {\"base\": CIDR, \"size\": N} objects") }
          args.append("--default-address-pool=base=\(base),size=\(Int(size))")
        }
      case (.runtimes?, .object(let runtimes)?):
        // dockerd's {"name": {"path": "/usr/bin/runc"}}, as --add-runtime name=path.
        for (name, value) in runtimes.sorted(by: { $0.key < $1.key }) {
          guard case .object(let runtime) = value, case .string(let path)? = runtime["path"] else {
            throw fail("runtime \(name) needs a \"path\" string")
          }
          if let extra = runtime.keys.first(where: { $0 != "path" }) {
            throw fail("runtime \(name): \(extra) is not supported (only \"path\")")
          }
          args.append("--add-runtime=\(name)=\(path)")
        }
      case (.runtimes?, _): throw fail("\(key) must be an object of runtimes")
      case (.bool?, _): throw fail("\(key) must be true or false")
      case (.strings?, _): throw fail("\(key) must be a list of strings")
      default: throw fail("\(key) must be a string")
      }
    }
    return args
  }
}
