import Foundation
import Testing

@testable import BerthCommands

@Suite struct FlagParserTests {
  let flags: [Flag] = [
    .bool("detach", "d", ""), .bool("interactive", "i", ""), .bool("tty", "t", ""), .bool("rm", nil, ""),
    .list("env", "e", ""), .string("name", nil, ""), .list("publish", "p", ""), .int("last", "n", ""),
  ]

  @Test func combinedShortFlags() throws {
    let p = try FlagParser.parse(["-dit", "busybox", "sh"], flags: flags, interspersed: false)
    #expect(p.bool("detach") && p.bool("interactive") && p.bool("tty"))
    #expect(p.positionals == ["busybox", "sh"])
  }

  @Test func flagsEndAtTheImage() throws {
    let p = try FlagParser.parse(["--rm", "busybox", "ls", "-l", "--name", "x"], flags: flags, interspersed: false)
    #expect(p.bool("rm"))
    #expect(p.string("name") == nil)
    #expect(p.positionals == ["busybox", "ls", "-l", "--name", "x"])
  }

  @Test func interspersedFlags() throws {
    let p = try FlagParser.parse(["a", "-n", "3", "b"], flags: flags, interspersed: true)
    #expect(p.positionals == ["a", "b"])
    #expect(p.int("last") == 3)
  }

  @Test func repeatedAndValueForms() throws {
    let p = try FlagParser.parse(
      ["-e", "A=1", "--env=B=2", "-eC=3", "--env", "D", "-p8080:80", "--name=web", "--rm=false", "img"], flags: flags,
      interspersed: false)
    #expect(p.all("env") == ["A=1", "B=2", "C=3", "D"])
    #expect(p.all("publish") == ["8080:80"])
    #expect(p.string("name") == "web")
    #expect(!p.bool("rm"))
    #expect(p.isSet("rm"))
  }

  @Test func valueAfterCombinedBools() throws {
    let p = try FlagParser.parse(["-ite", "X=1", "img"], flags: flags, interspersed: false)
    #expect(p.bool("interactive") && p.bool("tty"))
    #expect(p.all("env") == ["X=1"])
  }

  @Test func doubleDashEndsFlags() throws {
    let p = try FlagParser.parse(["--", "-d"], flags: flags, interspersed: true)
    #expect(p.positionals == ["-d"])
    #expect(!p.bool("detach"))
  }

  @Test func errors() {
    #expect(throws: FlagError(description: "unknown flag: --x")) {
      try FlagParser.parse(["--x"], flags: flags, interspersed: false)
    }
    #expect(throws: FlagError(description: "unknown shorthand flag: 'Z' in -Z")) {
      try FlagParser.parse(["-Z"], flags: flags, interspersed: false)
    }
    #expect(throws: FlagError(description: "flag needs an argument: 'e' in -e")) {
      try FlagParser.parse(["-e"], flags: flags, interspersed: false)
    }
    #expect(throws: FlagError(description: "flag needs an argument: --name")) {
      try FlagParser.parse(["--name"], flags: flags, interspersed: false)
    }
    #expect(throws: FlagError.self) { try FlagParser.parse(["-n", "abc"], flags: flags, interspersed: true) }
  }

  @Test func unknownFlagExits125WithDockerShape() {
    let r = runCLI(["run", "--x", "busybox"], host: "unix:///nonexistent.sock")
    #expect(r.code == 125)
    #expect(r.stderr.hasPrefix("unknown flag: --x\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]"))
    #expect(r.stderr.contains("Run 'berth run --help' for more information"))
  }

  @Test func missingArgumentsExit1() {
    let r = runCLI(["rm"], host: "unix:///nonexistent.sock")
    #expect(r.code == 1)
    #expect(r.stderr.hasPrefix("berth: 'berth rm' requires at least 1 argument"))
  }

  @Test func helpListsFlags() {
    let r = runCLI(["run", "--help"], host: nil)
    #expect(r.code == 0)
    #expect(r.stdout.contains("Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]"))
    #expect(r.stdout.contains("  -e, --env list"))
    #expect(r.stdout.contains("      --rm "))
    let main = runCLI(["--help"], host: nil)
    #expect(main.stdout.contains("Management Commands:"))
  }

  @Test func runOptionsBuildTheCreateRequest() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-envfile-\(getpid())")
    try "# comment\nFROM_FILE=1\n\nPASS_THROUGH\nSPACES=a b \n".write(to: dir, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: dir) }
    let spec = RunCommand.spec
    let flags = try spec.parse([
      "-it", "--rm", "--name", "web", "--env-file", dir.path, "-e", "A=1", "-e", "PASS_THROUGH", "-m", "64m",
      "--cpus", "1.5", "-p", "127.0.0.1:8080:80/udp", "-v", "/host:/ctr:ro", "-v", "/anon", "--restart", "no",
      "--ulimit", "nofile=10:20", "--tmpfs", "/run:size=1m", "-w", "/work", "-u", "1000", "--entrypoint", "",
      "-l", "k=v", "--init", "--read-only", "--cap-add", "NET_ADMIN", "--pids-limit", "10", "busybox", "sh", "-c", "x",
    ])
    let parsed = try ContainerOptions.parse(flags, environment: ["PASS_THROUGH": "yes"], detach: false)
    let c = parsed.request.config
    let h = try #require(parsed.request.hostConfig)
    #expect(parsed.image == "busybox" && parsed.name == "web")
    #expect(c.cmd == ["sh", "-c", "x"])
    #expect(c.entrypoint == [""])
    #expect(c.env == ["FROM_FILE=1", "PASS_THROUGH=yes", "SPACES=a b ", "A=1", "PASS_THROUGH=yes"])
    #expect(c.tty == true && c.openStdin == true && c.attachStdin == true && c.stdinOnce == true)
    #expect(c.exposedPorts?["80/udp"] != nil)
    #expect(c.volumes?["/anon"] != nil)
    #expect(c.labels == ["k": "v"])
    #expect(c.workingDir == "/work" && c.user == "1000")
    #expect(h.autoRemove == true)
    #expect(h.memory == Int64(67_108_864))
    #expect(h.nanoCpus == 1_500_000_000)
    #expect(h.binds == ["/host:/ctr:ro"])
    #expect(h.portBindings?["80/udp"]??.first?.hostPort == "8080")
    #expect(h.portBindings?["80/udp"]??.first?.hostIp == "127.0.0.1")
    #expect(h.ulimits?.first?.soft == 10 && h.ulimits?.first?.hard == 20)
    #expect(h.tmpfs == ["/run": "size=1m"])
    #expect(h.initProcess == true && h.readonlyRootfs == true && h.capAdd == ["NET_ADMIN"] && h.pidsLimit == 10)
  }

  @Test func imageReferences() {
    #expect(ImageReference(parsing: "busybox").familiarString == "busybox:latest")
    #expect(ImageReference(parsing: "busybox").name == "docker.io/library/busybox")
    #expect(ImageReference(parsing: "localhost:5000/a/b:1").name == "localhost:5000/a/b")
    #expect(ImageReference(parsing: "localhost:5000/a/b:1").tag == "1")
    #expect(ImageReference(parsing: "user/app").familiarString == "user/app:latest")
    #expect(ImageReference(parsing: "docker.io/library/alpine:3").familiarString == "alpine:3")
  }
}
