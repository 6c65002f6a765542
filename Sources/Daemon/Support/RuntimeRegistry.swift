// The OCI runtimes berthd can run containers with, by name, as dockerd's `runtimes`:
// `berth` (berth-runtime, the default), `runc` when a runc binary is on PATH, and those
// added with --add-runtime or the config file's `runtimes`.
public struct RuntimeRegistry: Sendable {
  public static let berth = "berth"

  /// Name → binary path.
  public private(set) var paths: [String: String]
  public private(set) var defaultName: String
  /// Each runtime's `--root` lives under here (berth-runtime's is `runtime`).
  let execRoot: String

  /// Refuses a default that names no runtime (dockerd refuses to start too).
  public init(berthRuntime: String, added: [String: String], runcOnPath: String?, defaultName: String, execRoot: String)
    throws
  {
    var paths = added
    paths[Self.berth] = berthRuntime
    if paths["runc"] == nil, let runc = runcOnPath { paths["runc"] = runc }
    guard paths[defaultName] != nil else {
      throw DaemonError.invalid("default runtime \(defaultName) does not exist")
    }
    self.paths = paths
    self.defaultName = defaultName
    self.execRoot = execRoot
  }

  /// Only berth-runtime: for engines made in tests.
  init(berthRuntime: String, execRoot: String) {
    paths = [Self.berth: berthRuntime]
    defaultName = Self.berth
    self.execRoot = execRoot
  }

  /// The runtime's state root. Each runtime has its own: their state directories differ.
  func root(_ name: String) -> String {
    name == Self.berth ? execRoot + "/runtime" : execRoot + "/runtimes/" + name
  }

  /// The runtime a container record names (records from before runtimes had names: berth).
  func command(_ name: String?) throws -> RuntimeCommand {
    let name = name ?? Self.berth
    guard let binary = paths[name] else {
      throw DaemonError.system("the container's runtime \(name) is no longer configured")
    }
    return RuntimeCommand(binary: binary, root: root(name), inProcess: name == Self.berth)
  }

  /// The error dockerd gives at create for a runtime it does not know.
  func check(_ name: String) throws {
    guard paths[name] != nil else { throw DaemonError.invalid("unknown or invalid runtime name: \(name)") }
  }
}
