// Name resolution on user networks: each container there gets a resolver on 127.0.0.11
// (its shim answers; see Shim/DNSResponder) and a table of the names it may resolve —
// its peers' container names, aliases and short ids on every user network it shares with
// them — which berthd rewrites whenever an endpoint comes or goes. Other names go to the
// upstreams: the container's --dns, else berthd's --dns, else the host's resolv.conf.
import BerthNetwork
import Glibc
import JSONCoding
import LinuxOS
import Shim

extension NetworkArea {
  var dnsDirectory: String { config.execRoot + "/network/dns" }

  func dnsTablePath(_ id: String) -> String { "\(dnsDirectory)/\(id).json" }

  /// Whether a container with these endpoints gets the resolver (one on a user network).
  func wantsResolver(_ endpoints: [EndpointInfo]) -> Bool {
    endpoints.contains { networkName($0.network) != Self.defaultBridgeName }
  }

  /// Rewrites the tables of every container on a user network (those whose content changed).
  func refreshDNS() {
    let records = containers.all()
    var byNetwork: [String: [(ContainerRecord, EndpointInfo)]] = [:]
    for r in records {
      for e in controller.endpoints(of: r.id) where networkName(e.network) != Self.defaultBridgeName {
        byNetwork[e.network, default: []].append((r, e))
      }
    }
    let members = Set(byNetwork.values.flatMap { $0.map(\.0.id) })
    for r in records where members.contains(r.id) {
      var names: [String: [String]] = [:]
      for e in controller.endpoints(of: r.id) {
        for (peer, peerEndpoint) in byNetwork[e.network] ?? [] {
          let addresses = [peerEndpoint.ipv4, peerEndpoint.ipv6].compactMap { $0.map { "\($0.address)" } }
          for name in [peer.shortName, String(peer.id.prefix(12))] + peerEndpoint.aliases {
            names[name.lowercased(), default: []] += addresses.filter { !(names[name.lowercased()] ?? []).contains($0) }
          }
        }
      }
      writeTable(DNSTable(names: names, upstreams: upstreams(for: r.settings)), for: r.id)
    }
  }

  private func writeTable(_ table: DNSTable, for id: String) {
    let path = dnsTablePath(id)
    do {
      let bytes = try JSON.encode(table, options: .init(sortedKeys: true))
      if (try? Files.readIfExists(path)) == bytes { return }  // unchanged (a failed read rewrites it)
      try Files.makeDirectories(dnsDirectory, mode: 0o700)
      // Renamed into place: the shim sees a new inode and rereads it whole.
      try Files.writeAtomically(path, bytes, mode: 0o644, durable: false)
    } catch {
      DaemonLog.engine.error("writing the DNS table of container \(id) failed: \(error)")
    }
  }

  func removeTable(_ id: String) {
    if unlink(dnsTablePath(id)) != 0 && errno != ENOENT {
      DaemonLog.engine.warning("removing \(dnsTablePath(id)) failed: errno \(errno)")
    }
  }

  /// Where names the table does not hold go.
  func upstreams(for s: ContainerSettings) -> [String] {
    if let dns = s.dns, !dns.isEmpty { return dns }
    if !config.dnsServers.isEmpty { return config.dnsServers }
    return Self.hostNameservers()
  }

  /// The host's resolv.conf nameservers (IPv4; loopback ones too: the shim forwards from the
  /// host's namespace, where they answer).
  static func hostNameservers() -> [String] {
    let text = (try? Files.readString("/etc/resolv.conf")) ?? ""  // no file: no upstream
    return text.split(separator: "\n").compactMap { line in
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 2, fields[0] == "nameserver", !fields[1].contains(":") else { return nil }
      return String(fields[1])
    }
  }
}
