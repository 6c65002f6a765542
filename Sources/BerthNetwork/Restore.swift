import Glibc
import LinuxOS

extension NetworkController {
  /// At start: keeps the endpoints of `liveContainers` (their veths, addresses, ports
  /// stay as they are), removes every other one's veth and leases, recreates missing
  /// bridges, deletes veths on Berth's bridges that no record knows (a crash mid-attach),
  /// and rewrites the nftables table from what is left (leftover rules go with it).
  public func restore(liveContainers: Set<String>) throws {
    try lock.withLock {
      for (container, list) in endpoints where !liveContainers.contains(container) {
        for info in list { try deleteHostLink(info.hostInterface) }
        endpoints[container] = nil
        try saveEndpoints(container)
      }
      try ipam.release(ownersNotIn: liveContainers)
      for record in networks.values { try setUpBridge(record) }
      let known = Set(endpoints.values.flatMap { $0.map(\.hostInterface) })
      let links = try host.netlink.links()
      let bridges = Set(links.filter { l in networks.values.contains { $0.bridge == l.name } }.map(\.index))
      for link in links where link.kind == "veth" && link.master.map(bridges.contains) == true {
        if !known.contains(link.name) { try deleteHostLink(link.name) }
      }
      try applyRuleset()
      for record in networks.values {
        let bridge = record.bridge
        try host.run { try DockerUserChain.allow(bridge: bridge) }
      }
    }
  }
}
