import Foundation
import Glibc
import LinuxOS
import Testing

@testable import BerthNetwork

@Suite(.enabled(if: Kernel.available, "needs root, ip, nsenter, busybox and nft"))
struct LifecycleTests {
  /// Other tables must come through untouched: a foreign one in the lab's host namespace,
  /// and the real host's whole ruleset (only listed, never changed).
  @Test func twoHundredCyclesLeaveNothingBehind() throws {
    let realHostBefore = try must(["/usr/sbin/nft", "list", "ruleset"])
    let lab = try TestLab()
    defer { lab.close() }
    try must(["/usr/sbin/nft", "-f", "/dev/stdin"], netns: lab.hostNetns, input: foreignTable)
    let foreignBefore = try must(["/usr/sbin/nft", "list", "table", "ip", "foreign"], netns: lab.hostNetns)
    let controller = try lab.controller()
    let net = try controller.createNetwork(NetworkConfig(id: "netc\(uniqueSuffix())", name: "cycle"))
    let linksBefore = try linkNames(in: lab.hostNetns).sorted()

    var sandboxMs = 0.0
    var attachMs = 0.0
    var publishMs = 0.0
    var teardownMs = 0.0
    for i in 0..<200 {
      let id = "cyc\(i)"
      var t = ContinuousClock.now
      let ns = try controller.createSandbox(id)
      sandboxMs += milliseconds(since: t)
      t = ContinuousClock.now
      _ = try controller.attach(container: id, netnsPath: ns, network: "cycle")
      attachMs += milliseconds(since: t)
      t = ContinuousClock.now
      let published = try controller.publish(container: id, [PortRequest(hostPort: 8080, containerPort: 80)])
      publishMs += milliseconds(since: t)
      published.closeReservations()
      t = ContinuousClock.now
      try controller.detachAll(container: id)
      try controller.deleteSandbox(id)
      teardownMs += milliseconds(since: t)
    }
    print(
      "per cycle: netns \(sandboxMs / 200) ms, attach \(attachMs / 200) ms, publish \(publishMs / 200) ms,"
        + " detach+delete \(teardownMs / 200) ms")

    #expect(try linkNames(in: lab.hostNetns).sorted() == linksBefore)
    #expect(try mapElementCount("ports4", in: lab.hostNetns) == 0)
    #expect(controller.ipam.subnets(of: net.config.id).flatMap(\.leases).isEmpty)
    #expect(try Files.list("\(lab.dir)/run/endpoints").isEmpty)
    #expect(try Files.list("\(lab.dir)/run/netns").isEmpty)
    #expect(!(try Files.readString("/proc/self/mountinfo").contains("\(lab.dir)/run/")))
    #expect(try must(["/usr/sbin/nft", "list", "table", "ip", "foreign"], netns: lab.hostNetns) == foreignBefore)
    try controller.deleteNetwork("cycle")
    #expect(try linkNames(in: lab.hostNetns).sorted() == ["lo"])
    #expect(try must(["/usr/sbin/nft", "list", "ruleset"]) == realHostBefore)
  }

  @Test func restoreKeepsLiveContainersAndRemovesTheRest() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let first = try lab.controller()
    let net = try first.createNetwork(NetworkConfig(id: "netl\(uniqueSuffix())", name: "live"))
    let c1 = try first.createSandbox("c1")
    let c2 = try first.createSandbox("c2")
    _ = try first.attach(container: "c1", netnsPath: c1, network: "live")
    let dead = try first.attach(container: "c2", netnsPath: c2, network: "live")
    let p1 = try first.publish(container: "c1", [PortRequest(hostPort: 8080, containerPort: 80)])
    defer { p1.closeReservations() }
    let p2 = try first.publish(container: "c2", [PortRequest(hostPort: 8081, containerPort: 80)])
    p2.closeReservations()
    try lab.httpd(in: c1, port: 80, text: "still here")
    // What a crash mid-attach leaves: a veth on the bridge that no record knows.
    let hostSide = try Netns.netlink(in: lab.hostNetns)
    let bridge = try #require(try hostSide.link(named: net.bridge))
    try hostSide.createVeth("vethstray", LinkSettings(master: bridge.index), peer: "vethstrayp", LinkSettings())

    let second = try lab.controller()
    #expect(second.network("live")?.ipv4?.subnet == net.ipv4?.subnet)
    try second.restore(liveContainers: ["c1"])
    let links = try linkNames(in: lab.hostNetns)
    #expect(!links.contains(dead.hostInterface) && !links.contains("vethstray"))
    #expect(links.contains(second.endpoints(of: "c1").first?.hostInterface ?? "none"))
    #expect(second.endpoints(of: "c2").isEmpty)
    #expect(second.ipam.subnets(of: net.config.id).flatMap(\.leases).map(\.owner) == ["c1"])
    #expect(try mapElementCount("ports4", in: lab.hostNetns) == 1)
    #expect(try lab.fetch(from: lab.hostNetns, "127.0.0.1", 8080) == "still here")
    try second.detachAll(container: "c1")
    for c in ["c1", "c2"] { try second.deleteSandbox(c) }
    try second.deleteNetwork("live")
  }

  @Test func defaultBridgeWithBipAndOptions() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let controller = try lab.controller()
    let bip = try #require(Subnet("10.44.0.1/24"))
    let net = try controller.createNetwork(.defaultBridge(id: "default\(uniqueSuffix())", bip: bip, mtu: 1450))
    #expect(net.bridge == "berth0" && net.config.name == "bridge")
    #expect(try addresses(of: "berth0", in: lab.hostNetns) == ["10.44.0.1/24"])
    #expect(try #require(try controller.host.netlink.link(named: "berth0")).mtu == 1450)
    #expect(try controller.host.readSysctl("net/ipv4/conf/berth0/route_localnet") == "1")
    #expect(try controller.host.readSysctl("net/ipv4/ip_forward") == "1")
    let c1 = try controller.createSandbox("c1")
    let e1 = try controller.attach(
      container: "c1", netnsPath: c1, network: "bridge",
      options: EndpointOptions(ipv4: IPAddress("10.44.0.77"), mac: MACAddress("02:00:00:00:00:77")))
    #expect(e1.ipv4?.description == "10.44.0.77/24" && e1.mac.description == "02:00:00:00:00:77")
    #expect(try #require(try Netns.netlink(in: c1).link(named: "eth0")).mtu == 1450)
    #expect(throws: IPAMError.self) {
      try controller.attach(
        container: "c2", netnsPath: c1, network: "bridge", options: EndpointOptions(ipv4: IPAddress("10.44.0.77")))
    }
    try controller.detachAll(container: "c1")
    try controller.deleteSandbox("c1")
    try controller.deleteNetwork("bridge")
    #expect(!(try linkNames(in: lab.hostNetns).contains("berth0")))
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/iptables"), "needs iptables"))
  func dockerUserAcceptsComeAndGoWithTheNetwork() throws {
    let lab = try TestLab()
    defer { lab.close() }
    // A DOCKER-USER chain of the lab's own (the namespace is the test's: docker's is never touched).
    try must(["/usr/sbin/iptables", "-w", "-t", "filter", "-N", "DOCKER-USER"], netns: lab.hostNetns)
    let controller = try lab.controller()
    let net = try controller.createNetwork(NetworkConfig(id: "netd\(uniqueSuffix())", name: "d"))
    let rules = { try must(["/usr/sbin/iptables", "-w", "-t", "filter", "-S", "DOCKER-USER"], netns: lab.hostNetns) }
    let expected = ["-A DOCKER-USER -o \(net.bridge) -j ACCEPT", "-A DOCKER-USER -i \(net.bridge) -j ACCEPT"]
    #expect(try rules().split(separator: "\n").filter { $0.contains(net.bridge) }.map(String.init) == expected)
    try controller.restore(liveContainers: [])
    #expect(try rules().split(separator: "\n").filter { $0.contains(net.bridge) }.count == 2, "idempotent")
    try controller.deleteNetwork("d")
    #expect(!(try rules().contains(net.bridge)))
  }
}

private let foreignTable = """
  table ip foreign {
    chain input { type filter hook input priority 0; policy accept; tcp dport 9 counter accept comment "not Berth's"; }
  }

  """
