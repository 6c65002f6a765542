/// Berth's nftables rules, all in one table of its own (`inet berth`): nothing of any other
/// table is read or changed. The whole table is rewritten in one transaction when a
/// network comes or goes (conntrack keeps established flows' NAT across the swap);
/// published ports are elements of maps, added and removed per container.
public struct Ruleset: Sendable {
  public static let table = "inet berth"

  /// What the rules need to know of a network.
  public struct Network: Sendable, Equatable {
    public var id: String
    public var bridge: String
    public var subnets: [Subnet]
    public var isInternal: Bool
    public var masquerade: Bool
    public var interContainer: Bool

    public init(
      id: String, bridge: String, subnets: [Subnet], isInternal: Bool = false, masquerade: Bool = true,
      interContainer: Bool = true
    ) {
      self.id = id
      self.bridge = bridge
      self.subnets = subnets
      self.isInternal = isInternal
      self.masquerade = masquerade
      self.interContainer = interContainer
    }
  }

  public var networks: [Network]
  public var ports: [PortMapping]

  public init(networks: [Network], ports: [PortMapping]) {
    self.networks = networks
    self.ports = ports
  }

  /// The batch that replaces the table with this ruleset (creating it first, so the
  /// delete never fails).
  public var replacementBatch: String {
    var out = "add table \(Self.table)\ndelete table \(Self.table)\n"
    out += "table \(Self.table) {\n"
    for (name, key, value) in PortMapping.maps {
      out += "  map \(name) { type \(key) : \(value); }\n"
    }
    let bridges = networks.map { quoted($0.bridge) }
    out +=
      "  set bridges { type ifname; \(bridges.isEmpty ? "" : "elements = { \(bridges.joined(separator: ", ")) }; ")}\n"
    out += chain("guard", "type filter hook prerouting priority raw; policy accept;", guardRules)
    out += chain("portmaps", nil, PortMapping.dnatRules)
    out += chain(
      "prerouting", "type nat hook prerouting priority dstnat; policy accept;", ["fib daddr type local jump portmaps"])
    out += chain("output", "type nat hook output priority -100; policy accept;", ["fib daddr type local jump portmaps"])
    out += chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;", networks.flatMap(natRules))
    out += chain("forward", "type filter hook forward priority filter; policy accept;", networks.flatMap(filterRules))
    out += "}\n"
    out += PortMapping.addBatch(ports)
    return out
  }

  /// The 127.0.0.0/8 guard (CVE-2020-8558): route_localnet on a bridge would otherwise let a
  /// neighbour reach the host's loopback services.
  private var guardRules: [String] {
    ["iifname != \"lo\" ip daddr 127.0.0.0/8 drop comment \"loopback from outside\""]
  }

  private func natRules(_ n: Network) -> [String] {
    let br = quoted(n.bridge)
    let tag = comment(n)
    var rules: [String] = []
    if n.masquerade && !n.isInternal {
      for s in n.subnets {
        rules.append("\(family(s)) saddr \(s.canonical) oifname != \(br) masquerade \(tag)")
      }
    }
    // 127.0.0.1:hostPort DNATed from the output hook keeps its loopback source otherwise.
    rules.append("oifname \(br) ip saddr 127.0.0.0/8 masquerade \(tag)")
    // Hairpin: a container reaching a published port of its own network through the host
    // (the reply must come back through the host to be un-NATed). No interface match:
    // postrouting has no input interface, and with br_netfilter the output one is a port.
    for s in n.subnets {
      let f = family(s)
      rules.append("\(f) saddr \(s.canonical) \(f) daddr \(s.canonical) ct status dnat masquerade \(tag)")
    }
    return rules
  }

  private func filterRules(_ n: Network) -> [String] {
    let br = quoted(n.bridge)
    let tag = comment(n)
    var rules: [String] = []
    if n.isInternal {
      rules.append("iifname \(br) oifname != \(br) drop \(tag)")
      rules.append("oifname \(br) iifname != \(br) drop \(tag)")
    }
    if !n.interContainer { rules.append("iifname \(br) oifname \(br) drop \(tag)") }
    // Into the network from elsewhere: replies and published ports only (other networks
    // included: that is the isolation between networks).
    rules.append("oifname \(br) iifname != \(br) ct state established,related accept \(tag)")
    rules.append("oifname \(br) iifname != \(br) ct status dnat accept \(tag)")
    rules.append("oifname \(br) iifname != \(br) drop \(tag)")
    return rules
  }

  private func chain(_ name: String, _ hook: String?, _ rules: [String]) -> String {
    var out = "  chain \(name) {\n"
    if let hook { out += "    \(hook)\n" }
    for rule in rules { out += "    \(rule)\n" }
    return out + "  }\n"
  }

  private func family(_ s: Subnet) -> String { s.isV4 ? "ip" : "ip6" }
  private func comment(_ n: Network) -> String { "comment \(quoted("net=\(n.id.prefix(12))"))" }
}

/// An nft string literal (names come from the daemon's own validation; quotes are dropped
/// here all the same).
func quoted(_ s: String) -> String { "\"" + s.filter { $0 != "\"" && $0 != "\\" && $0 != "\n" } + "\"" }
