import Glibc
import LinuxOS

/// Living beside dockerd: its FORWARD policy DROP (with br_netfilter, bridged traffic too)
/// wins over any accept in Berth's own table, so where the DOCKER-USER chain exists, Berth
/// adds `-i br -j ACCEPT` and `-o br -j ACCEPT` for its bridges there, and nothing else.
public enum DockerUserChain {
  public static let chain = "DOCKER-USER"
  static let candidates = ["/usr/sbin/iptables", "/sbin/iptables", "/usr/bin/iptables"]

  static var iptables: String? { candidates.first { access($0, X_OK) == 0 } }

  /// Whether docker's DOCKER-USER chain exists in the filter table.
  public static var exists: Bool {
    guard let iptables, let result = try? Tool.run(iptables, ["-w", "-t", "filter", "-S", chain], input: "") else {
      return false  // no iptables, or it cannot run: nothing of docker's to live beside
    }
    return result.status == 0
  }

  /// Adds the accepts for `bridge` when the chain exists (idempotent: -C before -I).
  public static func allow(bridge: String) throws {
    guard let iptables, exists else { return }
    for rule in rules(bridge) {
      let check = try Tool.run(iptables, ["-w", "-t", "filter", "-C", chain] + rule, input: "")
      if check.status == 0 { continue }
      let insert = try Tool.run(iptables, ["-w", "-t", "filter", "-I", chain] + rule, input: "")
      if insert.status != 0 {
        throw NetworkError.tool(
          "iptables", status: insert.status, output: insert.text, input: rule.joined(separator: " "))
      }
    }
  }

  /// Removes every copy of the accepts for `bridge`.
  public static func remove(bridge: String) throws {
    guard let iptables, exists else { return }
    for rule in rules(bridge) {
      while try Tool.run(iptables, ["-w", "-t", "filter", "-C", chain] + rule, input: "").status == 0 {
        let delete = try Tool.run(iptables, ["-w", "-t", "filter", "-D", chain] + rule, input: "")
        if delete.status != 0 {
          throw NetworkError.tool(
            "iptables", status: delete.status, output: delete.text, input: rule.joined(separator: " "))
        }
      }
    }
  }

  static func rules(_ bridge: String) -> [[String]] {
    [["-i", bridge, "-j", "ACCEPT"], ["-o", bridge, "-j", "ACCEPT"]]
  }
}
