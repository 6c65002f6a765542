import Foundation
import Glibc
import LinuxOS
import Testing

@testable import BerthNetwork

@Suite(.enabled(if: Kernel.available, "needs root, ip, nsenter, busybox and nft"))
struct NetlinkTests {
  @Test func bridgeVethAddressesAndRoutesMatchIpOutput() throws {
    let lab = try TestLab()
    defer { lab.close() }
    let other = try lab.netns("peer")
    let netlink = try Netns.netlink(in: lab.hostNetns)
    let bridge = "tbr\(uniqueSuffix(5))"
    try netlink.createBridge(bridge, LinkSettings(mtu: 1400, mac: MACAddress("02:42:0a:00:00:01"), up: true))
    let duplicate = #expect(throws: SystemError.self) { try netlink.createBridge(bridge) }
    #expect(duplicate?.errno == EEXIST)
    let br = try #require(try netlink.link(named: bridge))
    #expect(br.kind == "bridge" && br.mtu == 1400 && br.mac?.description == "02:42:0a:00:00:01")

    let nsfd = try FD.open(other, O_RDONLY)
    defer { FD.close(nsfd) }
    try netlink.createVeth(
      "vtest\(uniqueSuffix(4))", LinkSettings(master: br.index), peer: "eth0",
      LinkSettings(mtu: 1400, mac: MACAddress("02:42:0a:00:00:02"), netnsFD: nsfd))
    let veth = try #require(try netlink.links().first { $0.kind == "veth" })
    try netlink.setLink(veth.index, up: true)
    #expect(veth.master == br.index)
    #expect(try linkNames(in: other).contains("eth0"))
    #expect(!(try linkNames(in: lab.hostNetns).contains("eth0")))

    try netlink.addAddress(#require(Subnet("10.77.0.1/24")), to: br.index)
    try netlink.addAddress(#require(Subnet("fd77::1/64")), to: br.index)
    #expect(try addresses(of: bridge, in: lab.hostNetns).contains("10.77.0.1/24"))
    #expect(try addresses(of: bridge, in: lab.hostNetns).contains("fd77::1/64"))
    #expect(try netlink.addresses().contains { $0.address.description == "10.77.0.1/24" && $0.index == br.index })

    let inside = try Netns.netlink(in: other)
    let eth0 = try #require(try inside.link(named: "eth0"))
    #expect(eth0.mac?.description == "02:42:0a:00:00:02" && eth0.mtu == 1400)
    try inside.setLink(eth0.index, up: true)
    try inside.addAddress(#require(Subnet("10.77.0.2/24")), to: eth0.index)
    try inside.addRoute(via: IPAddress("10.77.0.1"), device: eth0.index)
    let routes = try ipJSON(["route", "show"], netns: other)
    #expect(routes.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "10.77.0.1" })
    #expect(try inside.routes().contains { $0.destination.prefix == 0 && $0.gateway?.description == "10.77.0.1" })
    #expect(try run(["/bin/busybox", "ping", "-c", "1", "-W", "2", "10.77.0.1"], netns: other).status == 0)

    try netlink.removeAddress(#require(Subnet("10.77.0.1/24")), from: br.index)
    #expect(!(try addresses(of: bridge, in: lab.hostNetns).contains("10.77.0.1/24")))
    try netlink.deleteLink(veth.index)
    #expect(!(try linkNames(in: other).contains("eth0")))
    try netlink.deleteLink(br.index)
    #expect(try netlink.link(named: bridge) == nil)
    let gone = #expect(throws: SystemError.self) { try netlink.deleteLink(br.index) }
    #expect(gone?.errno == ENODEV)
  }
}

@Suite(.enabled(if: Kernel.available, "needs root, ip, nsenter, busybox and nft"))
struct NetnsTests {
  @Test func createAndDeleteLeaveNoMountAndKeepTheCallerInItsNamespace() throws {
    let own = namespaceID()
    let dir = "/tmp/berth-netns-\(uniqueSuffix())"
    try Files.makeDirectories(dir)
    defer { try? Files.removeTree(dir) }  // cleanup
    let path = "\(dir)/ns"
    try Netns.create(at: path)
    #expect(try Files.readString("/proc/self/mountinfo").contains(path))
    let lo = try ipJSON(["link", "show", "lo"], netns: path).first
    #expect((lo?["flags"] as? [String])?.contains("UP") == true)
    let inside = try Netns.run(in: path) { namespaceID() }
    #expect(inside != own && !inside.isEmpty)
    #expect(namespaceID() == own)
    try Netns.delete(at: path)
    #expect(!(try Files.readString("/proc/self/mountinfo").contains(path)))
    #expect(!Files.exists(path))
  }
}

/// The calling thread's network namespace ("net:[4026…]").
func namespaceID() -> String {
  var buffer = [CChar](repeating: 0, count: 64)
  let n = readlink("/proc/thread-self/ns/net", &buffer, 63)
  return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
}
