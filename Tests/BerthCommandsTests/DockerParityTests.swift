import EngineClient
import Foundation
import Testing

@testable import BerthCommands

let dockerCLI = "/usr/local/bin/docker"
let hasDockerCLI = FileManager.default.isExecutableFile(atPath: dockerCLI)

/// Runs the real docker CLI with a private HOME (no credential helper on PATH).
func runDocker(_ arguments: [String], home: String, environment: [String: String] = [:], stdin: String = "")
  throws -> CLIResult
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: dockerCLI)
  process.arguments = arguments
  var env = ["HOME": home, "PATH": "/usr/local/bin"]
  env.merge(environment, uniquingKeysWith: { $1 })
  process.environment = env
  let out = Pipe()
  let err = Pipe()
  let input = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = input
  try process.run()
  input.fileHandleForWriting.write(Data(stdin.utf8))
  try input.fileHandleForWriting.close()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return CLIResult(
    code: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: stderr, as: UTF8.self))
}

func temporaryDirectory(_ tag: String) throws -> String {
  let path = "/tmp/berth-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// Drops what carries no information (null, "", 0, false, []) so docker's zero-valued Go
/// structs compare equal to berth's omitted fields; `{}` stays (a set-like map's entry).
func normalized(_ value: JSON) -> JSON {
  switch value {
  case .object(let members):
    return .object(
      members.compactMap { m in
        let v = normalized(m.value)
        switch v {
        case .null, .bool(false), .string(""), .number("0"), .array([]): return nil
        default: return JSON.Member(m.key, v)
        }
      }.sorted { $0.key < $1.key })
  case .array(let items): return .array(items.map(normalized))
  default: return value
  }
}

/// Same flags → same JSON: the docker CLI 28 and berth send their requests to one fake
/// daemon, and the fields berth handles must match.
@Suite(.serialized, .enabled(if: hasDockerCLI, "needs the docker CLI at /usr/local/bin/docker"))
struct DockerParityTests {
  /// The create body's network and port fields.
  func networkFields(_ body: [UInt8]) throws -> JSON {
    let json = try JSON.parse(body)
    let host = json["HostConfig"] ?? .null
    var members: [JSON.Member] = []
    for key in ["Hostname", "ExposedPorts", "MacAddress"] { members.append(.init(key, json[key] ?? .null)) }
    for key in [
      "NetworkMode", "PortBindings", "PublishAllPorts", "Dns", "DnsOptions", "DnsSearch", "ExtraHosts", "Links",
    ] {
      members.append(.init("HostConfig." + key, host[key] ?? .null))
    }
    members.append(.init("NetworkingConfig", json["NetworkingConfig"] ?? .null))
    return normalized(.object(members))
  }

  /// Sends `arguments` through both CLIs; returns (docker, berth) bodies of `request`.
  func bodies(_ arguments: [String], request: String, reply: String = #"{"Id":"0123456789ab","Warnings":[]}"#)
    throws -> (docker: [UInt8]?, berth: [UInt8]?, dockerResult: CLIResult, berthResult: CLIResult)
  {
    let home = try temporaryDirectory("parity-home")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let engine = try FakeEngine()
    engine.handler = { _ in .json(201, reply) }
    engine.start()
    let d = try runDocker(["-H", engine.host] + arguments, home: home)
    let dockerBody = engine.body(of: request)
    engine.stop()
    let engine2 = try FakeEngine()
    engine2.handler = { _ in .json(201, reply) }
    engine2.start()
    defer { engine2.stop() }
    let b = runCLI(arguments, host: engine2.host, environment: ["HOME": home])
    return (dockerBody, engine2.body(of: request), d, b)
  }

  static let createCases: [[String]] = [
    [],
    [
      "-p", "8080:80", "-p", "127.0.0.1::81/udp", "-p", "9000-9001:9000-9001", "-P", "--expose", "7000-7001",
      "--network", "mynet", "--network-alias", "a1", "--ip", "10.0.0.5", "--ip6", "fd00::5", "--mac-address",
      "02:42:ac:11:00:02", "--dns", "1.1.1.1", "--dns-search", "x.com", "--dns-option", "ndots:2", "--add-host",
      "h:host-gateway", "--hostname", "hh", "--link", "c1:al",
    ],
    ["--link", "c1:al", "--mac-address", "02:42:ac:11:00:02", "--ip", "10.0.0.3"],
    ["--network", "host", "-p", "80"],
    ["--net", "none"],
    ["--network", "container:other", "-p", "80"],
    ["--network", "a", "--network", "b"],
    ["--network", "name=a,alias=x,ip=1.2.3.4"],
    [
      "-p", "[::1]:8080:80", "-p", "8000-8001:80", "-p", "target=80,published=8080,protocol=udp", "-p",
      "0.0.0.0:53:53/udp", "-p", "80/sctp", "--add-host", "h=1.2.3.4", "--add-host", "h2:::1", "--add-host",
      "h3:[::2]",
    ],
    ["-p", "8000-8100:8000-8100", "--expose", "80/udp", "--dns", "0:0:0:0:0:0:0:1"],
  ]

  @Test(arguments: createCases) func createSendsWhatDockerSends(_ flags: [String]) throws {
    let (docker, berth, d, b) = try bodies(["create"] + flags + ["busybox"], request: "POST /containers/create")
    #expect(d.code == 0, "docker: \(d.stderr)")
    #expect(b.code == 0, "berth: \(b.stderr)")
    let dockerFields = try networkFields(try #require(docker))
    let berthFields = try networkFields(try #require(berth))
    #expect(berthFields == dockerFields, "docker: \(dockerFields.serialized())\nberth:  \(berthFields.serialized())")
  }

  static let badCreateCases: [[String]] = [
    ["-p", "8000-8002:80-81"], ["-p", "abc"], ["-p", "80/foo"], ["-p", "1.2.3:80:80"], ["-p", "127.0.0.1:80"],
    ["--expose", "abc"], ["--expose", "80:90"], ["--network-alias", "x"], ["--mac-address", "zz"],
    ["--add-host", "bad"], ["--add-host", "h:notip"], ["--dns", "notip"], ["--network", "a", "--network", "host"],
  ]

  @Test(arguments: badCreateCases) func badFlagsFailLikeDocker(_ flags: [String]) throws {
    let (_, _, d, b) = try bodies(["create"] + flags + ["busybox"], request: "POST /containers/create")
    #expect(d.code == 125)
    #expect(b.code == d.code)
    let dockerText = d.stderr.replacingOccurrences(of: "docker", with: "berth")
    #expect(b.stderr == dockerText)
  }

  static let networkCases: [([String], String)] = [
    (["network", "create", "n1"], "POST /networks/create"),
    (
      [
        "network", "create", "-d", "bridge", "--subnet", "10.1.0.0/16", "--ip-range", "10.1.1.0/24", "--gateway",
        "10.1.0.1", "--internal", "--ipv6", "--label", "a=b", "--label", "c", "-o", "com.x=1", "--attachable", "n2",
      ], "POST /networks/create"
    ),
    (
      ["network", "create", "--subnet", "10.1.0.0/16,fd00::/64", "--gateway", "fd00::1", "n3"],
      "POST /networks/create"
    ),
    (
      [
        "network", "connect", "--alias", "a", "--alias", "b", "--ip", "10.0.0.2", "--ip6", "fd00::2", "--link", "c1:x",
        "net1", "ctr",
      ], "POST /networks/net1/connect"
    ),
    (["network", "connect", "net1", "ctr"], "POST /networks/net1/connect"),
    (["network", "disconnect", "-f", "net1", "ctr"], "POST /networks/net1/disconnect"),
  ]

  @Test(arguments: networkCases) func networkBodiesMatchDocker(_ testCase: ([String], String)) throws {
    let (docker, berth, d, b) = try bodies(testCase.0, request: testCase.1, reply: #"{"Id":"abc","Warning":""}"#)
    #expect(d.code == 0, "docker: \(d.stderr)")
    #expect(b.code == 0, "berth: \(b.stderr)")
    let dockerJSON = try JSON.parse(try #require(docker))
    let berthJSON = try JSON.parse(try #require(berth))
    #expect(
      configsInAnyOrder(normalized(berthJSON)) == configsInAnyOrder(normalized(dockerJSON)),
      "docker: \(dockerJSON.serialized())")
    #expect(d.stdout == b.stdout)
  }

  /// docker builds `IPAM.Config` from a Go map: its order is random.
  func configsInAnyOrder(_ body: JSON) -> JSON {
    guard var ipam = body["IPAM"], let configs = ipam["Config"]?.arrayValue else { return body }
    ipam.set("Config", .array(configs.sorted { $0.serialized() < $1.serialized() }))
    var copy = body
    copy.set("IPAM", ipam)
    return copy
  }

  @Test func commitQueryMatchesDocker() throws {
    let home = try temporaryDirectory("parity-commit")
    defer { try? FileManager.default.removeItem(atPath: home) }
    var queries: [String] = []
    for useDocker in [true, false] {
      let engine = try FakeEngine()
      let lock = NSLock()
      var query = ""
      engine.handler = { r in
        lock.lock()
        query = r.query
        lock.unlock()
        return .json(201, #"{"Id":"sha256:abcdef"}"#)
      }
      engine.start()
      let args = [
        "commit", "-a", "me", "-c", "ENV A=1", "-c", "CMD [\"x\"]", "-m", "msg", "-p=false", "ctr", "repo:tag",
      ]
      let r = useDocker ? try runDocker(["-H", engine.host] + args, home: home) : runCLI(args, host: engine.host)
      engine.stop()
      #expect(r.code == 0)
      #expect(r.stdout == "sha256:abcdef\n")
      lock.lock()
      // Go's encoder writes a space as "+", berth's as "%20": both decode the same.
      queries.append(
        query.replacingOccurrences(of: "+", with: "%20").split(separator: "&").sorted().joined(separator: "&"))
      lock.unlock()
    }
    #expect(queries[0] == queries[1])
  }

  /// `pull` on a terminal (script(1) gives both a pty 150 columns wide): the same bytes,
  /// cursor moves and bars included.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script") && berthdBinary() != nil))
  func pullProgressOnATerminalIsDockers() throws {
    guard let berthd = berthdBinary() else { return }
    let berth = URL(fileURLWithPath: berthd).deletingLastPathComponent().appendingPathComponent("berth").path
    let home = try temporaryDirectory("parity-tty")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let engine = try FakeEngine()
    engine.handler = { r in
      guard r.path == "/images/create" else { return .json(404, #"{"message":"nope"}"#) }
      let lines = [
        #"{"status":"Pulling from library/busybox","id":"latest"}"#,
        #"{"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}"#,
        #"{"status":"Pulling fs layer","progressDetail":{},"id":"bbb"}"#,
        #"{"status":"Downloading","progressDetail":{"current":1000,"total":2000},"progress":"x","id":"aaa"}"#,
        #"{"status":"Downloading","progressDetail":{"current":5000000,"total":6000000},"progress":"x","id":"bbb"}"#,
        #"{"status":"Pull complete","progressDetail":{},"id":"aaa"}"#,
        #"{"status":"Pull complete","progressDetail":{},"id":"bbb"}"#,
        #"{"status":"Digest: sha256:abc"}"#, #"{"status":"Status: Downloaded newer image for busybox:latest"}"#,
      ]
      return .json(200, lines.joined(separator: "\n") + "\n")
    }
    engine.start()
    defer { engine.stop() }
    func onTerminal(_ command: String) throws -> String {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
      process.arguments = ["-qfc", "stty cols 150; \(command) -H \(engine.host) pull busybox", "/dev/null"]
      process.environment = ["HOME": home, "PATH": "/usr/local/bin:/usr/bin:/bin"]
      let out = Pipe()
      process.standardOutput = out
      process.standardInput = FileHandle.nullDevice
      try process.run()
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      return text
    }
    let docker = try onTerminal(dockerCLI)
    #expect(docker.contains("\u{1b}[2A"))
    #expect(try onTerminal(berth) == docker)
  }
}
