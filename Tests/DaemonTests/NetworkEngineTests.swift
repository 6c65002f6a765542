// Networking through the real docker CLI against a berthd in a network namespace of its
// own (TestBerthd's `ownNetwork`): every bridge, veth, nftables rule and published port the
// test makes lives there, and all traffic goes to its loopback or its containers.
import Foundation
import Testing

@Suite(.serialized) struct NetworkEngineTests {
  static let enabled = TestBerthd.missing == nil && FileManager.default.isExecutableFile(atPath: "/usr/sbin/nft")

  /// A busybox httpd answering `text` on port 80 of the container.
  static let httpd = ["sh", "-c", "echo \"$0\" > /index.html && exec httpd -f -p 80 -h /"]

  static func fetch(_ d: TestBerthd, _ url: String) throws -> String {
    var last = ""
    for _ in 0..<30 {  // the httpd may still be starting
      let (rc, out) = try d.inNetwork(["/usr/bin/curl", "-sS", "--max-time", "2", url])
      if rc == 0 { return out }
      last = out
      usleep(100_000)
    }
    return "fetch failed: \(last)"
  }

  /// Links, netns files and port rules berthd left in its namespace. (A container's veths
  /// go with its namespace, which the kernel tears down in the background: given 5 s.)
  static func leftovers(_ d: TestBerthd) throws -> [String] {
    var out: [String] = []
    var links = ""
    for _ in 0..<50 {
      links = try d.inNetwork(["ip", "-o", "link", "show", "type", "veth"]).1
      if links.isEmpty { break }
      usleep(100_000)
    }
    if !links.isEmpty { out.append("veths: \(links)") }
    let sandboxes = TestBerthd.entries(d.execRoot + "/network/netns")
    if !sandboxes.isEmpty { out.append("netns: \(sandboxes)") }
    let (_, maps) = try d.inNetwork(["nft", "list", "map", "inet", "berth", "ports4"])
    if maps.contains("elements") { out.append("port maps: \(maps)") }
    return out
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func publishedPortsReachTheContainerAndGoWithIt() throws {
    let d = TestBerthd(tag: "net-ports", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    var (rc, out) = try d.docker("network", "ls", "--format", "{{.Name}} {{.Driver}}")
    #expect(rc == 0 && out == "bridge bridge\nhost host\nnone null\n", "network ls: \(out)")

    (rc, out) = try d.docker(
      ["run", "-d", "--name", "web", "-p", "127.0.0.1:18080:80", "-p", "18081:80", "busybox"] + Self.httpd
        + ["hello-web"])
    #expect(rc == 0, "run: \(out)")
    #expect(try Self.fetch(d, "http://127.0.0.1:18080/index.html") == "hello-web\n")
    #expect(try Self.fetch(d, "http://127.0.0.1:18081/index.html") == "hello-web\n")
    (rc, out) = try d.docker("port", "web")
    #expect(
      rc == 0 && out.split(separator: "\n").sorted() == ["80/tcp -> 0.0.0.0:18081", "80/tcp -> 127.0.0.1:18080"],
      "port: \(out)")
    (rc, out) = try d.docker("ps", "--format", "{{.Ports}}")
    #expect(out.contains("127.0.0.1:18080->80/tcp") && out.contains("0.0.0.0:18081->80/tcp"), "ps: \(out)")
    (rc, out) = try d.docker(
      "inspect", "-f",
      "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.Networks.bridge.IPAddress}}",
      "web")
    let fields = out.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    #expect(fields.count == 3 && fields[0].hasPrefix("172.") && fields[0] == fields[2], "inspect: \(out)")
    // The container's own address, straight over the bridge.
    if fields.count == 3 { #expect(try Self.fetch(d, "http://\(fields[0]):80/index.html") == "hello-web\n") }
    // stats counts its interface's traffic (the fetches above).
    (rc, out) = try d.docker("stats", "--no-stream", "--format", "{{.NetIO}}", "web")
    #expect(rc == 0 && !out.hasPrefix("0B / 0B"), "stats NetIO: \(out)")
    // Its hosts file names it by its address.
    (rc, out) = try d.docker("exec", "web", "cat", "/etc/hosts")
    #expect(fields.count == 3 && out.contains("\(fields[0])\t"), "hosts: \(out)")

    // The shim holds the host port: a listener of the host's is refused it, and so is
    // another container; that failed start leaves nothing.
    (rc, out) = try d.inNetwork(["python3", "-c", "import socket; socket.socket().bind(('0.0.0.0', 18081))"])
    #expect(rc != 0 && out.contains("Address already in use"), "host bind: \(out)")
    (rc, out) = try d.docker(["run", "-d", "--name", "web2", "-p", "18081:80", "busybox"] + Self.httpd + ["x"])
    #expect(rc != 0 && out.contains("port is already allocated"), "second publish: \(out)")
    (rc, out) = try d.docker("rm", "-f", "web2")
    #expect(rc == 0, "rm web2: \(out)")

    // -P: exposed ports on ephemeral host ports.
    (rc, out) = try d.docker(
      ["run", "-d", "--name", "any", "-P", "--expose", "80", "busybox"] + Self.httpd + ["ephemeral"])
    #expect(rc == 0, "run -P: \(out)")
    (rc, out) = try d.docker("port", "any", "80/tcp")
    let port = out.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    #expect(rc == 0 && Int(port) != nil, "port -P: \(out)")
    #expect(try Self.fetch(d, "http://127.0.0.1:\(port)/index.html") == "ephemeral\n")

    // Stopped: its rules, veth and namespace go; the port is free again.
    (rc, out) = try d.docker("stop", "-t", "1", "web", "any")
    #expect(rc == 0, "stop: \(out)")
    #expect(try Self.leftovers(d) == [])
    (rc, out) = try d.inNetwork(["python3", "-c", "import socket; socket.socket().bind(('0.0.0.0', 18081))"])
    #expect(rc == 0, "port still held after stop: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}|{{json .NetworkSettings.Ports}}", "web")
    #expect(out == "|{\"80/tcp\":null}\n", "inspect stopped: \(out)")
    // Started again, it publishes again.
    (rc, out) = try d.docker("start", "web")
    #expect(rc == 0, "start: \(out)")
    #expect(try Self.fetch(d, "http://127.0.0.1:18080/index.html") == "hello-web\n")
    (rc, out) = try d.docker("rm", "-f", "web", "any")
    #expect(rc == 0, "rm: \(out)")
    #expect(try Self.leftovers(d) == [])
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func userNetworksJoinContainersAndRefuseWhatDockerdRefuses() throws {
    let d = TestBerthd(tag: "net-user", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    var (rc, out) = try d.docker("network", "create", "--subnet", "10.89.0.0/24", "--label", "app=a", "appnet")
    #expect(rc == 0 && out.count == 65, "create: \(out)")
    (rc, out) = try d.docker("network", "create", "appnet")
    #expect(rc != 0 && out.contains("network with name appnet already exists"), "duplicate: \(out)")
    (rc, out) = try d.docker(
      "network", "inspect", "-f", "{{.Name}} {{.Driver}} {{(index .IPAM.Config 0).Subnet}} {{.Labels}}", "appnet")
    #expect(out == "appnet bridge 10.89.0.0/24 map[app:a]\n", "inspect: \(out)")

    (rc, out) = try d.docker(
      "run", "-d", "--name", "db", "--network", "appnet", "--ip", "10.89.0.50", "busybox", "sleep", "300")
    #expect(rc == 0, "run db: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.NetworkSettings.Networks.appnet.IPAddress}}", "db")
    #expect(out == "10.89.0.50\n", "--ip: \(out)")
    (rc, out) = try d.docker(
      "run", "--rm", "--network", "appnet", "busybox", "ping", "-c", "1", "-W", "3", "10.89.0.50")
    #expect(rc == 0 && out.contains("1 packets received"), "ping db: \(out)")
    (rc, out) = try d.docker(
      "network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", "appnet")
    #expect(out == "db 10.89.0.50/24\n", "network inspect containers: \(out)")

    // Connected while running: a second interface at once; disconnected: it goes.
    (rc, out) = try d.docker("run", "-d", "--name", "app", "busybox", "sleep", "300")
    #expect(rc == 0, "run app: \(out)")
    (rc, out) = try d.docker("network", "connect", "appnet", "app")
    #expect(rc == 0, "connect: \(out)")
    (rc, out) = try d.docker("exec", "app", "ping", "-c", "1", "-W", "3", "10.89.0.50")
    #expect(rc == 0, "ping after connect: \(out)")
    (rc, out) = try d.docker("network", "connect", "appnet", "app")
    #expect(rc != 0 && out.contains("already exists in network appnet"), "connect twice: \(out)")
    (rc, out) = try d.docker("network", "rm", "appnet")
    #expect(rc != 0 && out.contains("has active endpoints"), "rm in use: \(out)")
    (rc, out) = try d.docker("network", "disconnect", "appnet", "app")
    #expect(rc == 0, "disconnect: \(out)")
    (rc, out) = try d.docker("exec", "app", "ip", "-o", "link")
    #expect(rc == 0 && !out.contains("eth1"), "eth1 after disconnect: \(out)")

    // What dockerd refuses.
    (rc, out) = try d.docker("run", "--rm", "--network", "nosuch", "busybox", "true")
    #expect(rc == 125 && out.contains("network nosuch not found"), "unknown network: \(out)")
    (rc, out) = try d.docker("create", "--name", "later", "--network", "nosuch", "busybox", "true")
    #expect(rc == 0, "create naming a missing network (dockerd allows it): \(out)")
    (rc, out) = try d.docker("start", "later")
    #expect(rc != 0 && out.contains("network nosuch not found"), "start on a missing network: \(out)")
    (rc, out) = try d.docker("rm", "later")
    #expect(rc == 0, "rm later: \(out)")
    (rc, out) = try d.docker("network", "rm", "bridge")
    #expect(rc != 0 && out.contains("pre-defined network and cannot be removed"), "rm bridge: \(out)")
    (rc, out) = try d.docker("network", "create", "-d", "overlay", "ov")
    #expect(rc != 0 && out.contains("plugin \"overlay\" not found"), "overlay: \(out)")
    (rc, out) = try d.docker("network", "connect", "appnet", "none-ctr")
    #expect(rc != 0, "connect missing container: \(out)")

    (rc, out) = try d.docker("rm", "-f", "db", "app")
    #expect(rc == 0, "rm: \(out)")
    #expect(try Self.leftovers(d) == [])
    (rc, out) = try d.docker("network", "prune", "-f", "--filter", "label=app=a")
    #expect(rc == 0 && out.contains("appnet"), "prune: \(out)")
    (rc, out) = try d.docker("network", "ls", "-q", "--filter", "type=custom")
    #expect(rc == 0 && out.isEmpty, "after prune: \(out)")
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func aRunningContainerKeepsItsNetworkAcrossABerthdKill() throws {
    let d = TestBerthd(tag: "net-restore", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker(
      ["run", "-d", "--name", "web", "-p", "127.0.0.1:18090:80", "busybox"] + Self.httpd + ["survives"])
    #expect(rc == 0, "run: \(out)")
    #expect(try Self.fetch(d, "http://127.0.0.1:18090/index.html") == "survives\n")

    d.kill9()
    // berthd gone: the container still answers, and its shim still holds the port.
    #expect(try Self.fetch(d, "http://127.0.0.1:18090/index.html") == "survives\n")
    (rc, out) = try d.inNetwork(["python3", "-c", "import socket; socket.socket().bind(('127.0.0.1', 18090))"])
    #expect(rc != 0, "port free while berthd is down: \(out)")

    try d.start()
    #expect(try Self.fetch(d, "http://127.0.0.1:18090/index.html") == "survives\n")
    (rc, out) = try d.docker("port", "web")
    #expect(out == "80/tcp -> 127.0.0.1:18090\n", "port after restore: \(out)")
    (rc, out) = try d.docker("rm", "-f", "web")
    #expect(rc == 0, "rm: \(out)")
    #expect(try Self.leftovers(d) == [])
  }

  /// A stand-in upstream resolver (in berthd's namespace): every A query gets 192.0.2.99
  /// (TEST-NET-1, never contacted), anything else an empty answer.
  static let upstreamServer = """
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.53", 53))
    while True:
        q, a = s.recvfrom(512)
        i = 12
        while q[i]:
            i += q[i] + 1
        is_a = q[i + 1:i + 3] == b"\\x00\\x01"
        header = q[:2] + b"\\x81\\x80" + q[4:6] + (b"\\x00\\x01" if is_a else b"\\x00\\x00") + b"\\x00" * 4
        answer = b"\\xc0\\x0c\\x00\\x01\\x00\\x01\\x00\\x00\\x00\\x3c\\x00\\x04" + bytes([192, 0, 2, 99]) if is_a else b""
        s.sendto(header + q[12:i + 5] + answer, a)
    """

  /// Asks 127.0.0.11 for NAME's A record from inside the namespace at `netns`: the
  /// address, or NXDOMAIN/EMPTY.
  static func resolve(_ name: String, in netns: String) throws -> String {
    let client = """
      import socket, sys
      q = b"\\x12\\x34\\x01\\x00\\x00\\x01" + b"\\x00" * 6
      q += b"".join(bytes([len(p)]) + p.encode() for p in sys.argv[1].split(".")) + b"\\x00\\x00\\x01\\x00\\x01"
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.settimeout(3)
      s.sendto(q, ("127.0.0.11", 53))
      r = s.recv(512)
      if r[3] & 15 == 3: print("NXDOMAIN")
      elif (r[6] << 8 | r[7]) == 0: print("EMPTY")
      else: print(".".join(map(str, r[-4:])))
      """
    let (_, out) = try Integration.run(
      ["/usr/bin/timeout", "10", "/usr/bin/nsenter", "--net=" + netns, "--", "python3", "-c", client, name])
    return out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func namesResolveOnUserNetworksAndOthersGoUpstreamAcrossABerthdKill() throws {
    let d = TestBerthd(tag: "net-dns", extraArguments: ["--dns", "127.0.0.53"], ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let upstream = Process()
    upstream.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
    upstream.arguments = ["--net=" + d.netns, "--", "python3", "-c", Self.upstreamServer]
    try upstream.run()
    defer {
      kill(upstream.processIdentifier, SIGKILL)
      Integration.awaitExit(upstream)
    }

    var (rc, out) = try d.docker("network", "create", "dnsnet")
    #expect(rc == 0, "create: \(out)")
    (rc, out) = try d.docker(
      "run", "-d", "--name", "db", "--network", "dnsnet", "--network-alias", "database", "busybox", "sleep", "300")
    #expect(rc == 0, "run db: \(out)")
    let dbID = out.trimmingCharacters(in: .whitespacesAndNewlines)
    (rc, out) = try d.docker("inspect", "-f", "{{.NetworkSettings.Networks.dnsnet.IPAddress}}", "db")
    let dbIP = out.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(dbIP.hasPrefix("172."), "db address: \(out)")

    (rc, out) = try d.docker(
      "run", "--rm", "--network", "dnsnet", "busybox", "sh", "-c",
      "cat /etc/resolv.conf; ping -c 1 -W 3 db && ping -c 1 -W 3 database && ping -c 1 -W 3 \(dbID.prefix(12))")
    #expect(rc == 0 && out.contains("nameserver 127.0.0.11"), "by name: \(out)")
    #expect(out.contains("PING db (\(dbIP))") && out.contains("PING database (\(dbIP))"), "by name: \(out)")
    (rc, out) = try d.docker("run", "--rm", "--network", "dnsnet", "busybox", "nslookup", "elsewhere.example")
    #expect(rc == 0 && out.contains("192.0.2.99"), "forwarded: \(out)")
    // The default bridge has no resolver of Berth's: the nameservers are berthd's --dns.
    (rc, out) = try d.docker("run", "--rm", "busybox", "cat", "/etc/resolv.conf")
    #expect(!out.contains("127.0.0.11") && out.contains("127.0.0.53"), "default bridge resolv.conf: \(out)")

    // A peer that leaves is forgotten; the resolver lives in db's namespace, so ask it there.
    (rc, out) = try d.docker("run", "-d", "--name", "cache", "--network", "dnsnet", "busybox", "sleep", "300")
    let sandbox = d.execRoot + "/network/netns/" + dbID
    #expect(try Self.resolve("cache", in: sandbox).hasPrefix("172."))
    (rc, out) = try d.docker("rm", "-f", "cache")
    #expect(try Self.resolve("cache", in: sandbox) != "", "resolver answers after a peer left")
    #expect(
      try Self.resolve("cache", in: sandbox) == "EMPTY" || (try Self.resolve("cache", in: sandbox)) == "192.0.2.99")

    // berthd killed: db's shim still answers for its peers and forwards the rest.
    d.kill9()
    #expect(try Self.resolve("database", in: sandbox) == dbIP)
    #expect(try Self.resolve("elsewhere.example", in: sandbox) == "192.0.2.99")
    try d.start()
    #expect(try Self.resolve("db", in: sandbox) == dbIP)
    (rc, out) = try d.docker("rm", "-f", "db")
    #expect(rc == 0, "rm: \(out)")
    #expect(try Self.leftovers(d) == [])
    #expect(TestBerthd.entries(d.execRoot + "/network/dns") == [], "DNS tables left")
  }

  /// A namespace standing in for another host, joined to berthd's by a veth pair:
  /// 198.51.100.1/24 on berthd's side, 198.51.100.2/24 on the other host's, where a python
  /// HTTP server answers on port 8000 (bound to any address: it starts before the link has
  /// one). Returns the server (killed by the caller).
  static func otherHost(_ d: TestBerthd) throws -> Process {
    let netns = d.dir + "/other-host"
    FileManager.default.createFile(atPath: netns, contents: nil)
    var (rc, out) = try Integration.run(["/usr/bin/unshare", "--net=" + netns, "true"])
    guard rc == 0 else { throw IntegrationError("unshare: \(out)") }
    let served = d.dir + "/served"
    try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
    try "from-other-host\n".write(toFile: served + "/index.html", atomically: true, encoding: .utf8)
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
    server.arguments = [
      "--net=" + netns, "--", "python3", "-m", "http.server", "-b", "0.0.0.0", "-d", served, "8000",
    ]
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    try server.run()
    for step in [
      ["ip", "link", "add", "vhost0", "type", "veth", "peer", "name", "vother0"],
      ["ip", "link", "set", "vother0", "netns", "\(server.processIdentifier)"],
      ["ip", "addr", "add", "198.51.100.1/24", "dev", "vhost0"], ["ip", "link", "set", "vhost0", "up"],
    ] {
      (rc, out) = try d.inNetwork(step)
      guard rc == 0 else { throw IntegrationError("\(step): \(out)") }
    }
    for step in [
      ["ip", "link", "set", "lo", "up"], ["ip", "addr", "add", "198.51.100.2/24", "dev", "vother0"],
      ["ip", "link", "set", "vother0", "up"],
    ] {
      (rc, out) = try Integration.run(["/usr/bin/nsenter", "--net=" + netns, "--"] + step)
      guard rc == 0 else { throw IntegrationError("\(step): \(out)") }
    }
    return server
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func otherHostsReachPublishedPortsAndNetworksKeepApart() throws {
    let d = TestBerthd(tag: "net-hosts", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let server = try Self.otherHost(d)
    defer {
      kill(server.processIdentifier, SIGKILL)
      Integration.awaitExit(server)
    }
    var (rc, out) = try d.docker(
      ["run", "-d", "--name", "web", "-p", "18100:80", "busybox"] + Self.httpd + ["to-others"])
    #expect(rc == 0, "run: \(out)")
    // From the other host, through berthd's host address on their link.
    var got = ""
    for _ in 0..<30 {
      (rc, got) = try Integration.run([
        "/usr/bin/timeout", "10", "/usr/bin/nsenter", "--net=" + d.dir + "/other-host", "--", "/usr/bin/curl", "-sS",
        "--max-time", "2", "http://198.51.100.1:18100/index.html",
      ])
      if rc == 0 { break }
      usleep(100_000)
    }
    #expect(got == "to-others\n", "from the other host: \(got)")
    // Out through the NAT, from the default bridge.
    // (busybox 1.35's static wget crashes on some lookups: a plain HTTP/1.0 request through nc.)
    func get(_ host: String, _ port: Int) -> [String] {
      ["sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 3 \(host) \(port) | tail -1"]
    }
    (rc, out) = try d.docker(["run", "--rm", "busybox"] + get("198.51.100.2", 8000))
    #expect(rc == 0 && out == "from-other-host\n", "outbound: \(out)")
    // --internal: no way out.
    (rc, out) = try d.docker("network", "create", "--internal", "closed")
    #expect(rc == 0, "create --internal: \(out)")
    (rc, out) = try d.docker(["run", "--rm", "--network", "closed", "busybox"] + get("198.51.100.2", 8000))
    #expect(!out.contains("from-other-host"), "internal network reached the other host: \(out)")
    // Two networks do not reach each other.
    (rc, out) = try d.docker("network", "create", "neta")
    (rc, out) = try d.docker("network", "create", "netb")
    (rc, out) = try d.docker("run", "-d", "--name", "a1", "--network", "neta", "busybox", "sleep", "300")
    #expect(rc == 0, "run a1: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.NetworkSettings.Networks.neta.IPAddress}}", "a1")
    let a1 = out.trimmingCharacters(in: .whitespacesAndNewlines)
    (rc, out) = try d.docker("run", "--rm", "--network", "neta", "busybox", "ping", "-c", "1", "-W", "2", a1)
    #expect(rc == 0, "same network: \(out)")
    (rc, out) = try d.docker("run", "--rm", "--network", "netb", "busybox", "ping", "-c", "1", "-W", "2", a1)
    #expect(rc != 0, "another network reached a1: \(out)")
    // Hairpin: a container reaches a published port through the host's address.
    (rc, out) = try d.docker(["run", "--rm", "busybox"] + get("198.51.100.1", 18100))
    #expect(rc == 0 && out == "to-others\n", "hairpin: \(out)")
    (rc, out) = try d.docker("rm", "-f", "web", "a1")
    #expect(rc == 0, "rm: \(out)")
    (rc, out) = try d.inNetwork(["ip", "link", "del", "vhost0"])  // the test's own link
    #expect(try Self.leftovers(d) == [])
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func twoHundredRunsWithPublishedPortsLeaveNothing() throws {
    // The host's tables other than Berth's own (which a berthd on the host may own).
    func othersTables() throws -> [Substring] {
      try Integration.run(["/usr/sbin/nft", "list", "ruleset"]).1.split(separator: "\ntable ")
        .filter { !$0.hasPrefix("table inet berth") && !$0.hasPrefix("inet berth") }
    }
    let hostRules = try othersTables()
    let d = TestBerthd(tag: "net-cycles", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    for i in 0..<200 {
      let (rc, out) = try d.docker("run", "--rm", "-p", "127.0.0.1:18200:80", "-p", "18201", "busybox", "true")
      if rc != 0 {
        Issue.record("run \(i): \(out)")
        break
      }
    }
    #expect(try Self.leftovers(d) == [])
    let (_, leases) = try Integration.run(["/bin/sh", "-c", "cat \(d.execRoot)/network/ipam/*.json 2>/dev/null"])
    #expect(!leases.contains("owner"), "IP leases left: \(leases)")
    let (_, ruleset) = try d.inNetwork(["nft", "list", "ruleset"])
    #expect(!ruleset.contains("ctr="), "port rules left: \(ruleset)")
    // The host's own tables (dockerd's included) are as they were.
    #expect(try othersTables() == hostRules)
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func addressPoolsHostGatewayAndLinks() throws {
    let d = TestBerthd(
      tag: "net-pools", extraArguments: ["--default-address-pool", "base=10.123.0.0/16,size=24"], ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "bridge")
    #expect(out == "10.123.0.0/24\n", "default bridge from the pool: \(out)")
    (rc, out) = try d.docker("network", "create", "pooled")
    (rc, out) = try d.docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "pooled")
    #expect(out == "10.123.1.0/24\n", "user network from the pool: \(out)")
    (rc, out) = try d.docker("run", "--rm", "--add-host", "gw:host-gateway", "busybox", "grep", "gw", "/etc/hosts")
    #expect(rc == 0 && out == "10.123.0.1\tgw\n", "host-gateway: \(out)")
    (rc, out) = try d.docker("run", "-d", "--name", "db", "busybox", "sleep", "300")
    #expect(rc == 0, "run db: \(out)")
    (rc, out) = try d.docker("run", "--rm", "--link", "db:dbalias", "busybox", "ping", "-c", "1", "-W", "3", "dbalias")
    #expect(rc == 0 && out.contains("PING dbalias (10.123.0.2)"), "--link: \(out)")
    // An IPv6 network: both families on the endpoint, v6 between peers.
    (rc, out) = try d.docker("network", "create", "--ipv6", "--subnet", "fd00:123::/64", "dual")
    #expect(rc == 0, "create --ipv6: \(out)")
    (rc, out) = try d.docker("run", "-d", "--name", "six", "--network", "dual", "busybox", "sleep", "300")
    (rc, out) = try d.docker(
      "inspect", "-f",
      "{{.NetworkSettings.Networks.dual.IPAddress}} {{.NetworkSettings.Networks.dual.GlobalIPv6Address}}",
      "six")
    let dual = out.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    #expect(dual.count == 2 && dual[0].hasPrefix("10.123.") && dual[1].hasPrefix("fd00:123::"), "dual: \(out)")
    if dual.count == 2 {
      (rc, out) = try d.docker(
        "run", "--rm", "--network", "dual", "busybox", "ping", "-6", "-c", "1", "-W", "3", dual[1])
      #expect(rc == 0, "ping6: \(out)")
    }
    (rc, out) = try d.docker("rm", "-f", "six")
    (rc, out) = try d.docker("stop", "-t", "0", "db")
    (rc, out) = try d.docker("run", "--rm", "--link", "db:dbalias", "busybox", "true")
    #expect(rc != 0 && out.contains("Cannot link to a non running container"), "link to stopped: \(out)")
    (rc, out) = try d.docker("rm", "-f", "db")
    #expect(try Self.leftovers(d) == [])
  }

  @Test(.enabled(if: enabled, "needs root, busybox, docker, nft and the built binaries"))
  func aThousandPublishedPorts() throws {
    let d = TestBerthd(tag: "net-1000", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker(
      ["run", "-d", "--name", "many", "-p", "20000-20999:20000-20999", "busybox"] + ["httpd", "-f", "-p", "20999"])
    #expect(rc == 0, "run with 1000 ports: \(out)")
    (rc, out) = try d.docker("port", "many")
    #expect(out.split(separator: "\n").count == 1000, "docker port lists \(out.split(separator: "\n").count)")
    var answered = false
    for _ in 0..<50 where !answered {
      answered =
        (try d.inNetwork(["/usr/bin/curl", "-s", "-o", "/dev/null", "--max-time", "1", "http://127.0.0.1:20999/"])).0
        == 0
      if !answered { usleep(100_000) }
    }
    #expect(answered, "port 20999 did not answer")
    (rc, out) = try d.docker("rm", "-f", "many")
    #expect(rc == 0, "rm: \(out)")
    #expect(try Self.leftovers(d) == [])
  }
}
