import Foundation
import Glibc
import LinuxOS
import Testing

@testable import BerthNetwork

struct SubnetTests {
  @Test func parsesContainsAndOverlaps() throws {
    let s = try #require(Subnet("172.18.5.7/16"))
    #expect(s.network.description == "172.18.0.0" && s.last.description == "172.18.255.255")
    #expect(s.contains(try #require(IPAddress("172.18.200.1"))))
    #expect(!s.contains(try #require(IPAddress("172.19.0.1"))))
    #expect(s.overlaps(try #require(Subnet("172.0.0.0/8"))))
    #expect(!s.overlaps(try #require(Subnet("172.19.0.0/16"))))
    let v6 = try #require(Subnet("fd00:1::/64"))
    #expect(v6.host(2).description == "fd00:1::2")
    #expect(Subnet("300.1.1.1/8") == nil && Subnet("10.0.0.0/33") == nil)
    #expect(MACAddress.derived(from: try #require(IPAddress("172.18.0.2")))?.description == "02:42:ac:12:00:02")
    let random = MACAddress.random()
    #expect(random.bytes[0] & 0x03 == 0x02)
  }

  @Test func defaultPoolsSkipTakenSubnets() throws {
    let pools = AddressPool.dockerDefaults
    #expect(AddressPool.firstFree(in: pools, avoiding: [])?.description == "172.17.0.0/16")
    let taken = [try #require(Subnet("172.17.0.0/16")), try #require(Subnet("172.18.3.0/24"))]
    #expect(AddressPool.firstFree(in: pools, avoiding: taken)?.description == "172.19.0.0/16")
    let all172 = [try #require(Subnet("172.16.0.0/12"))]
    #expect(AddressPool.firstFree(in: pools, avoiding: all172)?.description == "192.168.0.0/20")
    #expect(Array(pools[4].subnets).count == 16)
  }
}

struct IPAMStoreTests {
  func scratch() throws -> String {
    let dir = "/tmp/berth-ipam-\(uniqueSuffix())"
    try Files.makeDirectories(dir)
    return dir
  }

  @Test func allocatesReleasesAndPersists() throws {
    let dir = try scratch()
    defer { try? Files.removeTree(dir) }  // cleanup
    let store = try IPAMStore(directory: dir)
    let made = try store.createNetwork(
      "n1",
      [
        SubnetRequest(subnet: Subnet("10.5.0.0/24"), range: Subnet("10.5.0.128/25")),
        SubnetRequest(subnet: Subnet("fd05::/64"), isV6: true),
      ], hostSubnets: [])
    #expect(made[0].gateway?.description == "10.5.0.1")
    let a = try store.allocate(network: "n1", owner: "a")
    #expect(a.address.description == "10.5.0.128/24" && a.gateway?.description == "10.5.0.1")
    let b = try store.allocate(network: "n1", owner: "b")
    #expect(b.address.description == "10.5.0.129/24")
    let c = try store.allocate(network: "n1", owner: "c", requested: IPAddress("10.5.0.9"))
    #expect(c.address.description == "10.5.0.9/24")
    #expect(throws: IPAMError.inUse(try #require(IPAddress("10.5.0.9")))) {
      try store.allocate(network: "n1", owner: "d", requested: IPAddress("10.5.0.9"))
    }
    #expect(throws: IPAMError.self) { try store.allocate(network: "n1", owner: "d", requested: IPAddress("10.6.0.9")) }
    let v6 = try store.allocate(network: "n1", owner: "a", v6: true)
    #expect(v6.address.description == "fd05::2/64")
    try store.release(network: "n1", owner: "a")
    #expect(try store.allocate(network: "n1", owner: "e").address.description == "10.5.0.128/24")

    let reloaded = try IPAMStore(directory: dir)
    let leases = reloaded.subnets(of: "n1").flatMap(\.leases).map(\.owner).sorted()
    #expect(leases == ["b", "c", "e"])
    #expect(throws: IPAMError.self) {
      try reloaded.createNetwork("n2", [SubnetRequest(subnet: Subnet("10.5.0.0/16"))], hostSubnets: [])
    }
    try reloaded.release(ownersNotIn: ["c"])
    #expect(try IPAMStore(directory: dir).subnets(of: "n1").flatMap(\.leases).map(\.owner) == ["c"])
    try reloaded.deleteNetwork("n1")
    #expect(try Files.list(dir) == ["leases"] && Files.list("\(dir)/leases").isEmpty)
  }

  @Test func smallSubnetIsExhausted() throws {
    let dir = try scratch()
    defer { try? Files.removeTree(dir) }  // cleanup
    let store = try IPAMStore(directory: dir)
    try store.createNetwork("n", [SubnetRequest(subnet: Subnet("10.9.0.0/30"))], hostSubnets: [])
    #expect(try store.allocate(network: "n", owner: "x").address.description == "10.9.0.2/30")
    #expect(throws: IPAMError.self) { try store.allocate(network: "n", owner: "y") }
  }

  @Test(.enabled(if: Kernel.available, "needs root: reads a test namespace's routes"))
  func defaultPoolSkipsARouteOfTheHostNamespace() throws {
    let lab = try TestLab()
    defer { lab.close() }
    try must(["/usr/sbin/ip", "link", "add", "dummy0", "type", "bridge"], netns: lab.hostNetns)
    try must(["/usr/sbin/ip", "link", "set", "dummy0", "up"], netns: lab.hostNetns)
    try must(["/usr/sbin/ip", "addr", "add", "172.17.0.1/16", "dev", "dummy0"], netns: lab.hostNetns)
    try must(["/usr/sbin/ip", "route", "add", "172.18.0.0/16", "dev", "dummy0"], netns: lab.hostNetns)
    let host = try HostNamespace(path: lab.hostNetns)
    let used = try host.usedSubnets()
    #expect(used.contains(try #require(Subnet("172.18.0.0/16"))))
    let store = try IPAMStore(directory: "\(lab.dir)/ipam")
    let made = try store.createNetwork("n", [SubnetRequest()], hostSubnets: used)
    #expect(made.first?.subnet.description == "172.19.0.0/16")
  }
}

struct PortRequestTests {
  @Test func parsesEngineAPIPortBindings() throws {
    let single = try PortRequest.parse(containerPort: "80/tcp", hostIP: "", hostPort: "8080")
    #expect(single == PortRequest(hostPort: 8080, containerPort: 80))
    let range = try PortRequest.parse(containerPort: "8000-8100/udp", hostIP: "127.0.0.1", hostPort: "8000-8100")
    #expect(range.proto == .udp && range.hostIP?.description == "127.0.0.1" && range.hostPorts == 8000...8100)
    #expect(try PortRequest.parse(containerPort: "53", hostIP: "[::1]", hostPort: "").hostPorts == 0...0)
    #expect(try PortRequest.parse(containerPort: "9/sctp", hostIP: "", hostPort: "9").proto == .sctp)
    #expect(throws: NetworkError.self) { try PortRequest.parse(containerPort: "80/icmp", hostIP: "", hostPort: "1") }
    #expect(throws: NetworkError.self) { try PortRequest.parse(containerPort: "90-80", hostIP: "", hostPort: "") }
    #expect(throws: NetworkError.self) { try PortRequest.parse(containerPort: "80", hostIP: "nope", hostPort: "") }
    let plan = try NetworkController.expand([range, PortRequest(hostPorts: 9000...9010, containerPorts: 80...80)])
    #expect(plan.count == 102 && plan.last?.hostPorts.count == 11)
  }
}
