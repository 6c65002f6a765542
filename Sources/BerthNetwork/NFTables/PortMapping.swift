/// One published port: traffic to hostIP:hostPort (any local address when hostIP is nil)
/// goes to containerIP:containerPort.
public struct PortMapping: Sendable, Codable, Equatable, Hashable {
  public enum Proto: String, Sendable, Codable, CaseIterable { case tcp, udp, sctp }

  public var proto: Proto
  public var hostIP: IPAddress?
  public var hostPort: UInt16
  public var containerIP: IPAddress
  public var containerPort: UInt16
  /// The container the mapping belongs to (the element's comment).
  public var owner: String

  public init(
    proto: Proto, hostIP: IPAddress?, hostPort: UInt16, containerIP: IPAddress, containerPort: UInt16, owner: String
  ) {
    self.proto = proto
    self.hostIP = hostIP.flatMap { $0.value == 0 ? nil : $0 }
    self.hostPort = hostPort
    self.containerIP = containerIP
    self.containerPort = containerPort
    self.owner = owner
  }

  /// The maps: any local address, or one given address, per family.
  static let maps: [(String, String, String)] = [
    ("ports4", "inet_proto . inet_service", "ipv4_addr . inet_service"),
    ("ports4_ip", "ipv4_addr . inet_proto . inet_service", "ipv4_addr . inet_service"),
    ("ports6", "inet_proto . inet_service", "ipv6_addr . inet_service"),
    ("ports6_ip", "ipv6_addr . inet_proto . inet_service", "ipv6_addr . inet_service"),
  ]

  static let dnatRules: [String] = [
    "meta nfproto ipv4 meta l4proto { tcp, udp, sctp } dnat ip to ip daddr . meta l4proto . th dport map @ports4_ip",
    "meta nfproto ipv4 meta l4proto { tcp, udp, sctp } dnat ip to meta l4proto . th dport map @ports4",
    "meta nfproto ipv6 meta l4proto { tcp, udp, sctp } dnat ip6 to ip6 daddr . meta l4proto . th dport map @ports6_ip",
    "meta nfproto ipv6 meta l4proto { tcp, udp, sctp } dnat ip6 to meta l4proto . th dport map @ports6",
  ]

  private var map: String {
    (containerIP.isV4 ? "ports4" : "ports6") + (hostIP == nil ? "" : "_ip")
  }

  private var key: String {
    let base = "\(proto.rawValue) . \(hostPort)"
    return hostIP.map { "\($0) . \(base)" } ?? base
  }

  private var value: String {
    containerIP.isV4 ? "\(containerIP) . \(containerPort)" : "[\(containerIP)] . \(containerPort)"
  }

  /// One `add element` per map, every mapping in it: a thousand ports are one statement.
  static func addBatch(_ mappings: [PortMapping]) -> String {
    batch(mappings, verb: "add") { "\($0.key) comment \(quoted("ctr=\($0.owner.prefix(12))")) : \($0.value)" }
  }

  static func deleteBatch(_ mappings: [PortMapping]) -> String {
    batch(mappings, verb: "delete") { $0.key }
  }

  private static func batch(_ mappings: [PortMapping], verb: String, _ element: (PortMapping) -> String) -> String {
    var out = ""
    for (name, _, _) in maps {
      let elements = mappings.filter { $0.map == name }.map(element)
      guard !elements.isEmpty else { continue }
      out += "\(verb) element \(Ruleset.table) \(name) { \(elements.joined(separator: ", ")) }\n"
    }
    return out
  }
}
