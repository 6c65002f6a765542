import Foundation
import Glibc
import LinuxOS
import Testing

@testable import BerthNetwork

/// Root, and the tools the kernel tests drive (busybox for traffic, ip for checks).
enum Kernel {
  static let available =
    geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
    && FileManager.default.isExecutableFile(atPath: "/bin/busybox") && NFT.path != nil
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/nsenter")
}

/// A short random suffix so parallel runs never share a name.
func uniqueSuffix(_ length: Int = 6) -> String {
  String((0..<length).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement() ?? "x" })
}

struct CommandResult {
  var status: Int32
  var output: String
}

/// Runs a tool (tests may use Foundation's Process; berthd's code never does).
@discardableResult
func run(_ arguments: [String], netns: String? = nil, input: String? = nil) throws -> CommandResult {
  let process = Process()
  let full = (netns.map { ["/usr/bin/nsenter", "--net=\($0)"] } ?? []) + arguments
  process.executableURL = URL(fileURLWithPath: full[0].hasPrefix("/") ? full[0] : "/usr/bin/env")
  process.arguments = full[0].hasPrefix("/") ? Array(full.dropFirst()) : full
  // Output into a file, not a pipe: a server another test starts meanwhile may inherit the
  // pipe's write end and hold off its EOF until that server dies.
  let path = "/tmp/berth-net-out-\(uniqueSuffix(10))"
  guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path)
  else { throw SystemError("open", errno: EIO, path) }
  defer { unlink(path) }
  process.standardOutput = out
  process.standardError = out
  let stdin = Pipe()
  if input != nil { process.standardInput = stdin }
  try process.run()
  if let input {
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
  }
  try out.close()
  process.waitUntilExit()
  let data = FileManager.default.contents(atPath: path) ?? Data()
  return CommandResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}

/// Runs and requires success.
@discardableResult
func must(_ arguments: [String], netns: String? = nil, input: String? = nil) throws -> String {
  let result = try run(arguments, netns: netns, input: input)
  if result.status != 0 {
    throw NetworkError.tool(arguments.joined(separator: " "), status: result.status, output: result.output, input: "")
  }
  return result.output
}

/// A background process (busybox httpd) killed at cleanup.
final class Background {
  let process = Process()

  init(_ arguments: [String], netns: String?) throws {
    let full = (netns.map { ["/usr/bin/nsenter", "--net=\($0)"] } ?? []) + arguments
    process.executableURL = URL(fileURLWithPath: full[0])
    process.arguments = Array(full.dropFirst())
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  func stop() {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}

/// A scratch directory with a netns standing in for the host; everything the test makes
/// lives in it or under it, and `close` removes all of it.
final class TestLab {
  let dir: String
  let hostNetns: String
  var extraNetns: [String] = []
  var servers: [Background] = []

  init() throws {
    dir = "/tmp/berth-net-\(uniqueSuffix())"
    try Files.makeDirectories(dir)
    hostNetns = "\(dir)/host"
    try Netns.create(at: hostNetns)
  }

  func netns(_ name: String) throws -> String {
    let path = "\(dir)/\(name)"
    try Netns.create(at: path)
    extraNetns.append(path)
    return path
  }

  func controller(pools: [AddressPool] = AddressPool.dockerDefaults) throws -> NetworkController {
    try NetworkController(root: "\(dir)/root", execRoot: "\(dir)/run", pools: pools, hostNetns: hostNetns)
  }

  /// Serves `text` as /index.html on port `port` inside `netns`.
  func httpd(in netns: String, port: Int, text: String) throws {
    let root = "\(dir)/www-\(uniqueSuffix())"
    try Files.makeDirectories(root)
    try Files.writeAtomically("\(root)/index.html", Array(text.utf8), durable: false)
    servers.append(try Background(["/bin/busybox", "httpd", "-f", "-p", "\(port)", "-h", root], netns: netns))
    try waitForListener(in: netns, port: port)
  }

  func waitForListener(in netns: String, port: Int) throws {
    for _ in 0..<100 {
      if try run(["/usr/bin/ss", "-Hltn", "sport = :\(port)"], netns: netns).output.contains(":\(port)") { return }
      usleep(20_000)
    }
  }

  /// Fetches http://address:port/ from inside `netns`; nil when it fails. (busybox wget's own
  /// -T crashes in Debian 12's busybox-static: coreutils' timeout bounds it instead.)
  func fetch(from netns: String, _ address: String, _ port: Int, timeout: Int = 2) throws -> String? {
    let result = try run(
      [
        "/usr/bin/timeout", "-s", "KILL", "\(timeout)", "/bin/busybox", "wget", "-q", "-O", "-",
        "http://\(address):\(port)/",
      ],
      netns: netns)
    return result.status == 0 ? result.output : nil
  }

  func close() {
    for server in servers { server.stop() }
    for path in extraNetns { try? Netns.delete(at: path) }  // cleanup: best effort, the rest still runs
    if let sandboxes = try? Files.list("\(dir)/run/netns") {
      for name in sandboxes { try? Netns.delete(at: "\(dir)/run/netns/\(name)") }  // cleanup, as above
    }
    try? Netns.delete(at: hostNetns)  // cleanup, as above
    try? Files.removeTree(dir)  // cleanup, as above
  }
}

/// `ip -j` output decoded.
func ipJSON(_ arguments: [String], netns: String) throws -> [[String: Any]] {
  let text = try must(["/usr/sbin/ip", "-j"] + arguments, netns: netns)
  let data = Data(text.utf8)
  return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
}

func linkNames(in netns: String) throws -> [String] {
  try ipJSON(["link", "show"], netns: netns).compactMap { $0["ifname"] as? String }
}

func addresses(of device: String, in netns: String) throws -> [String] {
  try ipJSON(["addr", "show", "dev", device], netns: netns).flatMap { link in
    ((link["addr_info"] as? [[String: Any]]) ?? []).compactMap { info in
      guard let local = info["local"] as? String, let prefix = info["prefixlen"] as? Int,
        !local.hasPrefix("fe80:")
      else { return nil }
      return "\(local)/\(prefix)"
    }
  }
}

/// A namespace standing in for another host, joined to the lab's host namespace by a
/// veth pair with addresses from 10.231.x.0/30 (both ends inside the lab).
struct OtherHost {
  let netns: String
  /// The host's address on the link (what "the host's address" means to the other host).
  let hostAddress: String
  let address: String

  init(_ lab: TestLab) throws {
    netns = try lab.netns("other")
    let x = Int.random(in: 0...255)
    hostAddress = "10.231.\(x).1"
    address = "10.231.\(x).2"
    let hostSide = try Netns.netlink(in: lab.hostNetns)
    let fd = try FD.open(netns, O_RDONLY)
    defer { FD.close(fd) }
    let name = "vo\(uniqueSuffix(5))"
    try hostSide.createVeth(name, LinkSettings(), peer: "uplink", LinkSettings(netnsFD: fd))
    let link = try #require(try hostSide.link(named: name))
    try hostSide.setLink(link.index, up: true)
    try hostSide.addAddress(#require(Subnet("\(hostAddress)/30")), to: link.index)
    let otherSide = try Netns.netlink(in: netns)
    let uplink = try #require(try otherSide.link(named: "uplink"))
    try otherSide.setLink(uplink.index, up: true)
    try otherSide.addAddress(#require(Subnet("\(address)/30")), to: uplink.index)
  }
}

/// The elements of one of Berth's port maps in the lab's host namespace.
func mapElementCount(_ map: String, in netns: String) throws -> Int {
  let text = try must(["/usr/sbin/nft", "-j", "list", "map", "inet", "berth", map], netns: netns)
  guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
    let items = object["nftables"] as? [[String: Any]]
  else { return -1 }
  for item in items {
    if let m = item["map"] as? [String: Any] { return (m["elem"] as? [Any])?.count ?? 0 }
  }
  return -1
}

func milliseconds(since start: ContinuousClock.Instant) -> Double {
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

/// Prints the state of namespaces (for a failing check's log).
func dumpState(_ namespaces: [String: String]) {
  for (name, path) in namespaces.sorted(by: { $0.key < $1.key }) {
    for command in [["/usr/sbin/ip", "-br", "addr"], ["/usr/sbin/ip", "route"], ["/usr/sbin/ip", "-d", "link"]] {
      let out = (try? run(command, netns: path).output) ?? "?"  // diagnostics only
      print("== \(name): \(command.joined(separator: " "))\n\(out)")
    }
  }
}
