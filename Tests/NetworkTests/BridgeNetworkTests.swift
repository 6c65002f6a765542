import Foundation
import Glibc
import LinuxOS
import Testing

@testable import BerthNetwork

/// Each test builds its own host namespace (bridges, rules, ports all live inside it), so
/// the tests share no kernel state and never touch the real host's network.
@Suite(.enabled(if: Kernel.available, "needs root, ip, nsenter, busybox and nft"))
struct BridgeNetworkTests {
  @Test func containersTalkOnTheirNetworkOnlyAndReachOutThroughNAT() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let other = try OtherHost(lab)
    let controller = try lab.controller()
    let a = try controller.createNetwork(NetworkConfig(id: "neta\(uniqueSuffix())", name: "a"))
    let b = try controller.createNetwork(NetworkConfig(id: "netb\(uniqueSuffix())", name: "b"))
    let i = try controller.createNetwork(NetworkConfig(id: "neti\(uniqueSuffix())", name: "i", isInternal: true))
    #expect(a.ipv4?.subnet.description == "172.17.0.0/16")
    #expect(b.ipv4?.subnet.description == "172.18.0.0/16")
    #expect(try addresses(of: a.bridge, in: lab.hostNetns) == ["172.17.0.1/16"])

    let c1 = try controller.createSandbox("c1")
    let c2 = try controller.createSandbox("c2")
    let c3 = try controller.createSandbox("c3")
    let c4 = try controller.createSandbox("c4")
    let e1 = try controller.attach(container: "c1", netnsPath: c1, network: "a")
    let e2 = try controller.attach(container: "c2", netnsPath: c2, network: "a")
    _ = try controller.attach(container: "c3", netnsPath: c3, network: "b")
    _ = try controller.attach(container: "c4", netnsPath: c4, network: "i")
    #expect(e1.interface == "eth0" && e1.hostInterface.hasPrefix("veth") && e1.hostInterface.count == 11)
    #expect(e1.ipv4?.description == "172.17.0.2/16" && e2.ipv4?.description == "172.17.0.3/16")
    #expect(e1.mac.description == "02:42:ac:11:00:02")
    #expect(try addresses(of: "eth0", in: c1) == ["172.17.0.2/16"])
    let lo = try ipJSON(["link", "show", "lo"], netns: c1).first
    #expect((lo?["flags"] as? [String])?.contains("UP") == true)

    try lab.httpd(in: c1, port: 80, text: "from c1")
    try lab.httpd(in: other.netns, port: 80, text: "from the other host")
    #expect(try lab.fetch(from: c2, "172.17.0.2", 80) == "from c1")
    if ProcessInfo.processInfo.environment["NETDEBUG"] != nil {
      dumpState(["host": lab.hostNetns, "c1": c1, "c2": c2])
      print(try run(["/usr/sbin/nft", "list", "ruleset"], netns: lab.hostNetns).output)
      print(try run(["/bin/busybox", "ping", "-c1", "-W1", "172.17.0.2"], netns: c2).output)
      print(try run(["/usr/bin/ss", "-ltnp"], netns: c1).output)
      print(try run(["/bin/sh", "-c", "cat /proc/sys/net/ipv4/ip_forward"], netns: lab.hostNetns).output)
      print(try run(["/bin/busybox", "ping", "-c1", "-W1", other.address], netns: c2).output)
    }
    #expect(try lab.fetch(from: c3, "172.17.0.2", 80) == nil, "another network is isolated")
    // The other host has no route to 172.17/16: only NAT gets an answer back.
    #expect(try lab.fetch(from: c2, other.address, 80) == "from the other host")
    if ProcessInfo.processInfo.environment["NETPAUSE"] != nil {
      print("PAUSE host=\(lab.hostNetns) c2=\(c2) c3=\(c3) c1=\(c1) other=\(other.netns) \(other.address)")
      sleep(100)
    }
    #expect(try lab.fetch(from: c4, other.address, 80) == nil, "--internal has no way out")
    #expect(try lab.fetch(from: other.netns, "172.17.0.2", 80, timeout: 1) == nil, "no way in but published ports")

    // A second network for c1: eth1, no second default route.
    let e1b = try controller.attach(container: "c1", netnsPath: c1, network: "b")
    #expect(e1b.interface == "eth1" && !e1b.providesDefaultRoute && e1.providesDefaultRoute)
    let c1Routes = try ipJSON(["route", "show", "default"], netns: c1)
    #expect(c1Routes.count == 1 && c1Routes.first?["dev"] as? String == "eth0")
    #expect(try lab.fetch(from: c3, e1b.ipv4?.address.description ?? "", 80) == "from c1")
    try controller.detach(container: "c1", network: "b")
    #expect(!(try linkNames(in: c1).contains("eth1")))

    #expect(throws: NetworkError.self) { try controller.deleteNetwork("a") }
    for c in ["c1", "c2", "c3", "c4"] {
      try controller.detachAll(container: c)
      try controller.deleteSandbox(c)
    }
    for n in ["a", "b", "i"] { try controller.deleteNetwork(n) }
    #expect(!(try linkNames(in: lab.hostNetns).contains { $0.hasPrefix("br-") || $0.hasPrefix("veth") }))
  }

  @Test func publishedPortsAnswerOnLoopbackFromOutsideAndHairpin() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let other = try OtherHost(lab)
    let controller = try lab.controller()
    let net = try controller.createNetwork(NetworkConfig(id: "netp\(uniqueSuffix())", name: "p"))
    let c1 = try controller.createSandbox("c1")
    let c2 = try controller.createSandbox("c2")
    _ = try controller.attach(container: "c1", netnsPath: c1, network: "p")
    _ = try controller.attach(container: "c2", netnsPath: c2, network: "p")
    try lab.httpd(in: c1, port: 80, text: "published")

    let published = try controller.publish(container: "c1", [PortRequest(hostPort: 8080, containerPort: 80)])
    defer { published.closeReservations() }
    #expect(published.mappings.count == 1 && published.reservations.count == 1)
    #expect(try lab.fetch(from: lab.hostNetns, "127.0.0.1", 8080) == "published")
    #expect(try lab.fetch(from: other.netns, other.hostAddress, 8080) == "published")
    let gateway = try #require(net.ipv4?.gateway?.description)
    #expect(try lab.fetch(from: c1, gateway, 8080) == "published", "hairpin to itself")
    #expect(try lab.fetch(from: c2, other.hostAddress, 8080) == "published", "hairpin through the host's address")

    // The reservation: a host listener and a second publish both find the port taken.
    let taken = #expect(throws: NetworkError.self) {
      try Netns.run(in: lab.hostNetns) { try PortReservation.reserve(.tcp, address: nil, port: 8080) }
    }
    #expect(taken?.description == "Bind for 0.0.0.0:8080 failed: port is already allocated")
    #expect(throws: NetworkError.portAllocated(proto: "tcp", address: "0.0.0.0", port: 8080)) {
      try controller.publish(container: "c2", [PortRequest(hostPort: 8080, containerPort: 80)])
    }

    // Ephemeral, UDP and SCTP (this kernel may have no SCTP: the rule must still apply).
    try lab.httpd(in: c2, port: 80, text: "ephemeral")
    let more = try controller.publish(
      container: "c2",
      [
        PortRequest(hostPort: 0, containerPort: 80), PortRequest(.udp, hostPort: 5353, containerPort: 53),
        PortRequest(.sctp, hostPort: 9999, containerPort: 9999),
      ])
    defer { more.closeReservations() }
    let ephemeral = try #require(more.mappings.first { $0.proto == .tcp }?.hostPort)
    #expect(ephemeral != 0)
    #expect(try lab.fetch(from: lab.hostNetns, "127.0.0.1", Int(ephemeral)) == "ephemeral")
    #expect(try mapElementCount("ports4", in: lab.hostNetns) == 4)

    try controller.detach(container: "c1", network: "p")
    #expect(try lab.fetch(from: lab.hostNetns, "127.0.0.1", 8080, timeout: 1) == nil)
    #expect(try mapElementCount("ports4", in: lab.hostNetns) == 3)
    try controller.detachAll(container: "c2")
    #expect(try mapElementCount("ports4", in: lab.hostNetns) == 0)
    for c in ["c1", "c2"] { try controller.deleteSandbox(c) }
    try controller.deleteNetwork("p")
  }

  @Test func loopbackFromOutsideIsDropped() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let controller = try lab.controller()
    let net = try controller.createNetwork(NetworkConfig(id: "netg\(uniqueSuffix())", name: "g"))
    let c1 = try controller.createSandbox("c1")
    _ = try controller.attach(container: "c1", netnsPath: c1, network: "g")
    let gateway = try #require(net.ipv4?.gateway?.description)
    // A host service on the loopback addresses, and a container that routes 127/8 to the
    // host (what an attacker next to a route_localnet interface would do; 127.0.0.1 itself
    // stays local in the container's table, 127.0.0.2 does not).
    try lab.httpd(in: lab.hostNetns, port: 9999, text: "host loopback service")
    try must(["/usr/sbin/ip", "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local"], netns: c1)
    try must(["/bin/sh", "-c", "echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet"], netns: c1)
    try must(["/usr/sbin/ip", "route", "add", "127.0.0.0/8", "via", gateway, "dev", "eth0"], netns: c1)
    #expect(try lab.fetch(from: c1, "127.0.0.2", 9999, timeout: 1) == nil)
    // Without the guard the same packets get through: the check above can fail.
    try must(["/usr/sbin/nft", "flush", "chain", "inet", "berth", "guard"], netns: lab.hostNetns)
    #expect(try lab.fetch(from: c1, "127.0.0.2", 9999, timeout: 1) == "host loopback service")
    try controller.restore(liveContainers: ["c1"])
    #expect(try lab.fetch(from: c1, "127.0.0.2", 9999, timeout: 1) == nil)
    try controller.detachAll(container: "c1")
    try controller.deleteSandbox("c1")
    try controller.deleteNetwork("g")
  }

  @Test func aThousandPortsAreOneTransaction() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let controller = try lab.controller()
    _ = try controller.createNetwork(NetworkConfig(id: "netr\(uniqueSuffix())", name: "r"))
    let c1 = try controller.createSandbox("c1")
    _ = try controller.attach(container: "c1", netnsPath: c1, network: "r")
    try lab.httpd(in: c1, port: 20500, text: "range")
    let start = ContinuousClock.now
    let published = try controller.publish(
      container: "c1", [PortRequest(hostPorts: 20000...20999, containerPorts: 20000...20999)])
    let elapsed = milliseconds(since: start)
    defer { published.closeReservations() }
    print("1000 ports published in \(elapsed) ms")
    #expect(published.mappings.count == 1000)
    #expect(
      elapsed < 2000, "dockerd's proxies take seconds; one nft transaction takes milliseconds (generous: a loaded CI)")
    #expect(try mapElementCount("ports4", in: lab.hostNetns) == 1000)
    #expect(try lab.fetch(from: lab.hostNetns, "127.0.0.1", 20500) == "range")
    #expect(throws: NetworkError.self) {
      try controller.publish(container: "c1", [PortRequest(hostPorts: 1...3, containerPorts: 1...2)])
    }
    try controller.detachAll(container: "c1")
    #expect(try mapElementCount("ports4", in: lab.hostNetns) == 0)
    try controller.deleteSandbox("c1")
    try controller.deleteNetwork("r")
  }

  @Test func ipv6Network() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let controller = try lab.controller()
    let subnets = [SubnetRequest(subnet: Subnet("fd42:7::/64"), isV6: true)]
    let net = try controller.createNetwork(
      NetworkConfig(id: "net6\(uniqueSuffix())", name: "six", subnets: subnets, enableIPv6: true))
    #expect(net.ipv6?.gateway?.description == "fd42:7::1")
    let c1 = try controller.createSandbox("c1")
    let c2 = try controller.createSandbox("c2")
    let e1 = try controller.attach(container: "c1", netnsPath: c1, network: "six")
    _ = try controller.attach(container: "c2", netnsPath: c2, network: "six")
    #expect(e1.ipv6?.description == "fd42:7::2/64" && e1.ipv4 != nil)
    try lab.httpd(in: c1, port: 80, text: "six")
    #expect(try lab.fetch(from: c2, "[fd42:7::2]", 80) == "six")
    let published = try controller.publish(container: "c1", [PortRequest(hostPort: 8086, containerPort: 80)])
    defer { published.closeReservations() }
    #expect(published.reservations.count == 2, "0.0.0.0 and [::] for a dual-stack endpoint")
    #expect(try lab.fetch(from: lab.hostNetns, "[fd42:7::1]", 8086) == "six")
    for c in ["c1", "c2"] {
      try controller.detachAll(container: c)
      try controller.deleteSandbox(c)
    }
    try controller.deleteNetwork("six")
  }
}
