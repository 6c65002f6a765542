import Glibc
import JSONCoding
import LinuxOS

/// The kernel half of Berth's networking, driven by the daemon's network area:
/// bridge networks (IPAM, bridge device, NAT and isolation rules), container sandboxes
/// (persistent netns files), endpoints (veth, addresses, routes) and published ports.
///
/// State: network records under `<root>/networks` (durable), IPAM under `<root>/ipam`
/// (leases under `<execRoot>/ipam`),
/// endpoint records under `<execRoot>/endpoints` (volatile: containers do not outlive a
/// reboot), sandboxes under `<execRoot>/netns`. `restore(liveContainers:)` at start
/// settles what a crash left, in the kernel and on disk.
public final class NetworkController: @unchecked Sendable {
  public let root: String
  public let execRoot: String
  let host: HostNamespace
  let ipam: IPAMStore
  let lock = Lock()
  var networks: [String: NetworkRecord] = [:]
  /// container → its endpoints, in attach order.
  var endpoints: [String: [EndpointInfo]] = [:]
  /// netns path → a socket inside it, from `createSandbox`.
  var sandboxSockets: [String: NetlinkSocket] = [:]
  /// Subnets in use on the host; injectable for tests.
  let hostSubnets: @Sendable () throws -> [Subnet]
  /// Whether the host's ip_forward may be turned on (off only in tests that check it).
  let manageForwarding: Bool

  /// `hostNetns`: a namespace standing in for the host (tests); nil is berthd's own.
  public init(
    root: String, execRoot: String, pools: [AddressPool] = AddressPool.dockerDefaults, hostNetns: String? = nil,
    hostSubnets: (@Sendable () throws -> [Subnet])? = nil, manageForwarding: Bool = true
  ) throws {
    self.root = root
    self.execRoot = execRoot
    self.manageForwarding = manageForwarding
    let host = try HostNamespace(path: hostNetns)
    self.host = host
    self.hostSubnets = hostSubnets ?? { try host.usedSubnets() }
    try Files.makeDirectories("\(root)/networks", mode: 0o700)
    try Files.makeDirectories("\(execRoot)/endpoints", mode: 0o700)
    try Files.makeDirectories("\(execRoot)/netns", mode: 0o755)
    ipam = try IPAMStore(directory: "\(root)/ipam", leaseDirectory: "\(execRoot)/ipam", pools: pools)
    for name in try Files.list("\(root)/networks") where name.hasSuffix(".json") {
      let record = try JSON.decode(NetworkRecord.self, from: Files.read("\(root)/networks/\(name)"))
      networks[record.config.id] = record
    }
    for name in try Files.list("\(execRoot)/endpoints") where name.hasSuffix(".json") {
      let list = try JSON.decode([EndpointInfo].self, from: Files.read("\(execRoot)/endpoints/\(name)"))
      if let first = list.first { endpoints[first.container] = list }
    }
  }

  public func network(_ idOrName: String) -> NetworkRecord? {
    lock.withLock { lookup(idOrName) }
  }

  public func allNetworks() -> [NetworkRecord] {
    lock.withLock { Array(networks.values) }
  }

  public func endpoints(of container: String) -> [EndpointInfo] {
    lock.withLock { endpoints[container] ?? [] }
  }

  func lookup(_ idOrName: String) -> NetworkRecord? {
    networks[idOrName] ?? networks.values.first { $0.config.name == idOrName }
  }

  // MARK: sandboxes

  /// The netns file of a container (what the runtime spec's network namespace path names).
  public func sandboxPath(_ container: String) -> String { "\(execRoot)/netns/\(container)" }

  /// Makes the container's network namespace (with `lo` up) and returns its path.
  public func createSandbox(_ container: String) throws -> String {
    let path = sandboxPath(container)
    let socket = try Netns.create(at: path)
    lock.withLock { sandboxSockets[path] = socket }
    return path
  }

  /// Removes the container's namespace (its devices go with it once no process holds it).
  public func deleteSandbox(_ container: String) throws {
    let path = sandboxPath(container)
    lock.withLock { sandboxSockets[path] = nil }
    try Netns.delete(at: path)
  }

  /// A netlink socket inside the namespace at `path`: the one kept from `createSandbox`,
  /// or a new one (a namespace made elsewhere, or before a restart). Called under `lock`.
  func sandboxSocket(_ path: String) throws -> NetlinkSocket {
    if let socket = sandboxSockets[path] { return socket }
    return try Netns.netlink(in: path)
  }

  // MARK: rules

  /// Rewrites Berth's nftables table from the state in memory (one transaction).
  func applyRuleset() throws {
    let rules = Ruleset(
      networks: networks.values.sorted { $0.config.id < $1.config.id }.map { record in
        Ruleset.Network(
          id: record.config.id, bridge: record.bridge, subnets: record.subnets.map(\.subnet),
          isInternal: record.config.isInternal, masquerade: record.config.masquerade,
          interContainer: record.config.interContainer)
      },
      ports: endpoints.values.flatMap { $0.flatMap(\.ports) })
    let batch = rules.replacementBatch
    try host.run { try NFT.apply(batch) }
  }

  /// Removes Berth's table (when the last network goes and at uninstall).
  public func removeRuleset() throws {
    try host.run { try NFT.apply("add table \(Ruleset.table)\ndelete table \(Ruleset.table)\n") }
  }

  func saveEndpoints(_ container: String) throws {
    let path = "\(execRoot)/endpoints/\(container).json"
    guard let list = endpoints[container], !list.isEmpty else {
      if unlink(path) != 0 && errno != ENOENT { throw SystemError("unlink", errno: errno, path) }
      return
    }
    try Files.writeAtomically(path, try JSON.encode(list), mode: 0o600, durable: false)
  }

  func saveNetwork(_ record: NetworkRecord) throws {
    try Files.writeAtomically(
      "\(root)/networks/\(record.config.id).json", try JSON.encode(record, options: .init(pretty: true)), mode: 0o600)
  }
}
