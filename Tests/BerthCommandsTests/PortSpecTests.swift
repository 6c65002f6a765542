import EngineAPI
import EngineClient
import Testing

@testable import BerthCommands

/// The port-spec parser and the other pure pieces of the network and registry commands,
/// against what the docker CLI 28 sends and prints (captured from it).
@Suite struct PortSpecTests {
  func bindings(_ spec: String) throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for m in try PortSpec.parse(spec) {
      out[m.port, default: []].append("\(m.binding.hostIp ?? "")|\(m.binding.hostPort ?? "")")
    }
    return out
  }

  @Test func docksForms() throws {
    #expect(try bindings("8080:80") == ["80/tcp": ["|8080"]])
    #expect(try bindings("127.0.0.1:8080:80") == ["80/tcp": ["127.0.0.1|8080"]])
    #expect(try bindings("8080:80/udp") == ["80/udp": ["|8080"]])
    #expect(try bindings("80") == ["80/tcp": ["|"]])
    #expect(try bindings("127.0.0.1::80") == ["80/tcp": ["127.0.0.1|"]])
    #expect(try bindings("80/sctp") == ["80/sctp": ["|"]])
    #expect(try bindings("80:80/UDP") == ["80/udp": ["|80"]])
    #expect(try bindings("[::1]:8080:80") == ["80/tcp": ["::1|8080"]])
    #expect(try bindings("::1:8080:80") == ["80/tcp": ["::1|8080"]])
    #expect(try bindings("::80") == ["80/tcp": ["|"]])
    #expect(try bindings("8000-8001:80") == ["80/tcp": ["|8000-8001"]])
    #expect(try bindings("8000-8001") == ["8000/tcp": ["|"], "8001/tcp": ["|"]])
    let range = try PortSpec.parse("8000-8100:8000-8100")
    #expect(range.count == 101)
    #expect(range.last == PortSpec.Mapping(port: "8100/tcp", binding: PortBinding(hostIp: "", hostPort: "8100")))
    #expect(try PortSpec.standardNotation("target=80,published=8080,protocol=udp") == "8080:80/udp")
    #expect(try PortSpec.standardNotation("target=80,published=8080,mode=host") == "8080:80/tcp")
  }

  @Test func docksErrors() {
    func message(_ spec: String) -> String {
      do {
        _ = try PortSpec.parse(try PortSpec.standardNotation(spec))
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    #expect(message("8000-8002:80-81") == "invalid ranges specified for container and host Ports: 80-81 and 8000-8002")
    #expect(message("9000:8000-8001") == "invalid ranges specified for container and host Ports: 8000-8001 and 9000")
    #expect(message("abc") == "invalid containerPort: abc")
    #expect(message("80/foo") == "invalid proto: foo")
    #expect(message("1.2.3:80:80") == "invalid IP address: 1.2.3")
    #expect(message("99999") == "invalid containerPort: 99999")
    #expect(message("8080:99999") == "invalid containerPort: 99999")
    #expect(message("80-") == "invalid containerPort: 80-")
    #expect(message("-1") == "invalid containerPort: -1")
    #expect(message("a:b:c:d") == "invalid IP address: a:b")
    #expect(message("127.0.0.1:80") == "invalid hostPort: 127.0.0.1")
    #expect(message("[fe80::1%eth0]:80:80") == "invalid IP address: fe80::1%eth0")
    #expect(message("a,b=c") == "invalid publish opts format (should be name=value but got 'a')")
  }

  @Test func exposeLikeDocker() throws {
    #expect(try PortSpec.parseExpose("7000-7001") == ["7000/tcp", "7001/tcp"])
    #expect(try PortSpec.parseExpose("80/udp") == ["80/udp"])
    func message(_ spec: String) -> String {
      do {
        _ = try PortSpec.parseExpose(spec)
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    #expect(
      message("abc")
        == "invalid range format for --expose: abc, error: strconv.ParseUint: parsing \"abc\": invalid syntax")
    #expect(message("80:90") == "invalid port format for --expose: 80:90")
    #expect(
      message("80-70") == "invalid range format for --expose: 80-70, error: invalid range specified for port: 80-70")
    #expect(
      message("99999")
        == "invalid range format for --expose: 99999, error: strconv.ParseUint: parsing \"99999\": value out of range")
  }

  @Test func networkFlagsMapLikeDocker() throws {
    var flags = NetworkOptions.Flags()
    var mapped = try NetworkOptions.map(flags)
    #expect(mapped.mode == "default")
    #expect(mapped.endpoints == ["default": EndpointSettings()])
    flags.networks = ["host"]
    mapped = try NetworkOptions.map(flags)
    #expect(mapped.endpoints.isEmpty)
    flags.networks = ["mynet"]
    flags.links = ["c1:al"]
    flags.aliases = ["a1"]
    mapped = try NetworkOptions.map(flags)
    #expect(mapped.links == ["c1:al"])
    #expect(mapped.endpoints["mynet"]?.links == ["c1:al"])
    #expect(mapped.endpoints["mynet"]?.aliases == ["a1"])
    flags = NetworkOptions.Flags(aliases: ["x"])
    #expect(throws: NetworkOptions.Failure.self) { try NetworkOptions.map(flags) }
    flags = NetworkOptions.Flags(networks: ["a", "host"])
    #expect(throws: NetworkOptions.Failure.self) { try NetworkOptions.map(flags) }
    flags = NetworkOptions.Flags(networks: ["name=a,alias=x,ip=1.2.3.4"])
    mapped = try NetworkOptions.map(flags)
    #expect(mapped.endpoints["a"]?.ipamConfig?.ipv4Address == "1.2.3.4")
    #expect(try NetworkOptions.extraHost("h=1.2.3.4") == "h:1.2.3.4")
    #expect(try NetworkOptions.extraHost("h:::1") == "h:::1")
    #expect(try NetworkOptions.extraHost("h:host-gateway") == "h:host-gateway")
    #expect(throws: FlagError.self) { try NetworkOptions.extraHost("bad") }
    #expect(try NetworkOptions.dnsServer("0:0:0:0:0:0:0:1") == "::1")
    #expect(IPAddress.isMAC("02:42:ac:11:00:02"))
    #expect(!IPAddress.isMAC("zz"))
  }

  @Test func ipamPairsRangesAndGatewaysWithSubnets() throws {
    let config = try IPAMOptions.config(
      subnets: ["10.1.0.0/16", "fd00::/64"], ranges: ["10.1.1.0/24"], gateways: ["fd00::1"])
    #expect(
      JSON.array(config).serialized()
        == #"[{"Subnet":"10.1.0.0/16","IPRange":"10.1.1.0/24"},{"Subnet":"fd00::/64","Gateway":"fd00::1"}]"#)
    #expect(throws: CommandError.self) { try IPAMOptions.config(subnets: [], ranges: [], gateways: ["10.0.0.1"]) }
    #expect(throws: CommandError.self) {
      try IPAMOptions.config(subnets: ["10.0.0.0/8", "10.1.0.0/16"], ranges: [], gateways: [])
    }
  }

  @Test func naturalOrderAsSortorder() {
    #expect(NaturalOrder.less("53/udp -> x", "80/tcp -> x"))
    #expect(NaturalOrder.less("9/tcp", "10/tcp"))
    #expect(NaturalOrder.less("80/tcp -> 0.0.0.0:8080", "80/tcp -> [::]:8080"))
    #expect(!NaturalOrder.less("b", "a"))
  }

  @Test func sha256AndBase64() {
    #expect(SHA256.hex("c1") == "d0f631ca1ddba8db3bcfcb9e057cdc98d0379f1bee00e75a545147a27dadd982")
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(String(repeating: "a", count: 200)).count == 64)
    #expect(Base64.encode(Array("me:secret".utf8)) == "bWU6c2VjcmV0")
    #expect(Base64.encode(Array("{}".utf8), urlSafe: true) == "e30=")
    #expect(Base64.decode("bWU6c2VjcmV0").map { String(decoding: $0, as: UTF8.self) } == "me:secret")
  }

  @Test func detachKeysAsDocker() throws {
    #expect(try DetachKeys.bytes("ctrl-p,ctrl-q") == [16, 17])
    #expect(try DetachKeys.bytes("a,ctrl-@,ctrl-[") == [97, 0, 27])
    #expect(throws: DetachKeys.Invalid.self) { try DetachKeys.bytes("ctrl-1") }
    var watch = EscapeWatch(keys: [16, 17])
    #expect(watch.feed([1, 16]) == ([1], false))
    #expect(watch.feed([2]) == ([16, 2], false))
    #expect(watch.feed([16]) == ([], false))
    #expect(watch.feed([17]) == ([], true))
  }

  @Test func jsonMessagesRenderLikeDocker() throws {
    let lines = [
      #"{"status":"Pulling from library/busybox","id":"latest"}"#,
      #"{"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}"#,
      #"{"status":"Downloading","progressDetail":{"current":1000,"total":2000},"progress":"[=>  ]","id":"aaa"}"#,
      #"{"status":"Pull complete","progressDetail":{},"id":"aaa"}"#,
      #"{"status":"Digest: sha256:abc"}"#,
    ]
    .map { text in (try? JSON.parse(text)) ?? .null }
    var plain = JSONMessageRenderer(terminal: false, width: 200)
    #expect(
      lines.map { plain.render($0) }.joined()
        == "latest: Pulling from library/busybox\naaa: Pulling fs layer\naaa: Pull complete\nDigest: sha256:abc\n")
    var tty = JSONMessageRenderer(terminal: true, width: 200, now: 0)
    let rendered = lines.map { tty.render($0) }
    #expect(rendered[1] == "\n\u{1b}[1A\u{1b}[2K\raaa: Pulling fs layer \r\u{1b}[1B")
    #expect(
      rendered[2]
        == "\u{1b}[1A\u{1b}[2K\raaa: Downloading [=========================>                         ]      1kB/2kB\r\u{1b}[1B"
    )
  }
}
