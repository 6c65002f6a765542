// The network area: bridge networks (the BerthNetwork library does the kernel work), the
// predefined `bridge`, `host` and `none` networks, and the /networks API over them. The
// endpoints of containers are made and removed by the container area through
// `NetworkArea+Containers` (it owns the records and orders their transitions).
import BerthNetwork
import EngineAPI
import JSONCoding
import LinuxOS

/// The default bridge's settings (dockerd's `--bip`, `--mtu`); nil in EngineConfig:
/// `--bridge none`, containers without a network get loopback only.
public struct DefaultBridgeSettings: Sendable {
  /// The bridge's address and prefix ("10.10.0.1/24"); nil: the first free default pool.
  public var bip: String?
  public var mtu: UInt32?

  public init(bip: String? = nil, mtu: UInt32? = nil) {
    self.bip = bip
    self.mtu = mtu
  }
}

public final class NetworkArea: EngineArea {
  let context: EngineContext
  let controller: NetworkController
  /// The ids of `host` and `none`, kept on disk so they stay the same across restarts.
  let predefinedIDs: [String: String]
  /// Whether containers on the default network get the `bridge` network.
  let hasDefaultBridge: Bool

  static let defaultBridgeName = "bridge"
  static let predefinedDrivers = ["bridge": "bridge", "host": "host", "none": "null"]

  init(context: EngineContext) throws {
    self.context = context
    let root = context.config.dataRoot + "/network"
    var pools = AddressPool.dockerDefaults
    if !context.config.addressPools.isEmpty {
      pools = try context.config.addressPools.map { pool in
        guard let base = Subnet(pool.base), (base.prefix...32).contains(pool.size) else {
          throw DaemonError.invalid("invalid default address pool: base=\(pool.base),size=\(pool.size)")
        }
        return AddressPool(base: base, size: pool.size)
      }
    }
    controller = try NetworkController(root: root, execRoot: context.config.execRoot + "/network", pools: pools)
    predefinedIDs = try Self.loadPredefinedIDs(root + "/predefined.json")
    hasDefaultBridge = context.config.defaultBridge != nil
    if let bridge = context.config.defaultBridge, controller.network(Self.defaultBridgeName) == nil {
      try createDefaultBridge(bridge)
    }
  }

  private func createDefaultBridge(_ settings: DefaultBridgeSettings) throws {
    var bip: Subnet?
    if let text = settings.bip {
      guard let parsed = Subnet(text) else { throw DaemonError.invalid("invalid --bip: \(text)") }
      bip = parsed
    }
    var config = NetworkConfig.defaultBridge(id: ContainerStore.newID(), bip: bip, mtu: settings.mtu)
    config.created = Timestamps.now()
    try controller.createNetwork(config)
  }

  private static func loadPredefinedIDs(_ path: String) throws -> [String: String] {
    if let bytes = try Files.readIfExists(path), let ids = try? JSON.decode([String: String].self, from: bytes),
      ids["host"] != nil, ids["none"] != nil
    {
      return ids
    }
    let ids = ["host": ContainerStore.newID(), "none": ContainerStore.newID()]
    try Files.writeAtomically(path, try JSON.encode(ids), mode: 0o600)
    return ids
  }

  /// A network by name, id or unique id prefix (as dockerd resolves them).
  func record(network ref: String) throws -> NetworkRecord {
    if let exact = controller.network(ref) { return exact }
    let matches = controller.allNetworks().filter { $0.config.id.hasPrefix(ref) }
    if matches.count == 1 { return matches[0] }
    if matches.count > 1 {
      throw EngineError.badParameter("network \(ref) is ambiguous (\(matches.count) matches found)")
    }
    throw EngineError.notFound("network \(ref) not found")
  }

  /// `host` or `none` when `ref` names one of them (by name, id or id prefix).
  func predefined(_ ref: String) -> String? {
    if predefinedIDs[ref] != nil { return ref }
    return predefinedIDs.first { !ref.isEmpty && ($0.value == ref || $0.value.hasPrefix(ref)) }?.key
  }
}

/// Maps the network library's errors onto the API's.
func networkEngineError(_ error: any Error) -> any Error {
  switch error {
  case let e as NetworkError:
    switch e {
    case .unknownNetwork: return EngineError.notFound(e.description)
    case .networkExists, .alreadyAttached: return EngineError.conflict(e.description)
    case .activeEndpoints: return EngineError.forbidden(e.description)
    case .notAttached, .invalidPorts: return EngineError.badParameter(e.description)
    case .portAllocated, .tool, .missingTool: return EngineError.internal(e.description)
    }
  case let e as IPAMError: return EngineError.badParameter(e.description)
  default: return engineError(error)
  }
}
