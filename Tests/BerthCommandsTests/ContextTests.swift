import EngineClient
import Foundation
import Testing

@testable import BerthCommands

/// `berth context` on docker's store, and the host a command picks (-H > DOCKER_HOST >
/// --context > DOCKER_CONTEXT > currentContext), checked with the real docker CLI on one HOME.
@Suite(.serialized) struct ContextTests {
  /// A fake daemon that answers `ps` (GET /containers/json) with one named container.
  func engine(named name: String) throws -> FakeEngine {
    let engine = try FakeEngine()
    engine.handler = { r in
      if r.path == "/containers/json" {
        return .json(
          200,
          #"[{"Id":"\#(name)0123456789abcdef","Names":["/\#(name)"],"Image":"busybox","Command":"sh","Created":0,"Ports":[],"Labels":{},"State":"running","Status":"Up"}]"#
        )
      }
      return .json(200, "{}")
    }
    engine.start()
    return engine
  }

  @Test(.enabled(if: hasDockerCLI, "needs the docker CLI")) func dockerContextsAreBerthsAndBack() throws {
    let home = try temporaryDirectory("ctx-home")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let one = try engine(named: "one")
    defer { one.stop() }
    let two = try engine(named: "two")
    defer { two.stop() }
    let env = ["HOME": home]

    // docker creates, berth lists and uses.
    let created = try runDocker(
      ["context", "create", "fromdocker", "--description", "made by docker", "--docker", "host=\(one.host)"],
      home: home)
    #expect(created.code == 0, "\(created.stderr)")
    let ls = runCLI(["context", "ls"], host: nil, environment: env)
    #expect(ls.code == 0)
    #expect(ls.stdout.contains("fromdocker   made by docker"))
    #expect(ls.stdout.contains("default *"))
    let ps = runCLI(["--context", "fromdocker", "ps", "--format", "{{.Names}}"], host: nil, environment: env)
    #expect(ps.stdout == "one\n", "\(ps.stderr)")

    // berth creates and switches, docker follows.
    let mine = runCLI(
      ["context", "create", "fromberth", "--docker", "host=\(two.host)"], host: nil, environment: env)
    #expect(mine.code == 0)
    #expect(mine.stdout == "fromberth\n")
    #expect(mine.stderr == "Successfully created context \"fromberth\"\n")
    let use = runCLI(["context", "use", "fromberth"], host: nil, environment: env)
    #expect(use.stdout == "fromberth\n")
    #expect(try runDocker(["context", "show"], home: home).stdout == "fromberth\n")
    let dockerPS = try runDocker(["ps", "--format", "{{.Names}}"], home: home)
    #expect(dockerPS.stdout == "two\n", "\(dockerPS.stderr)")
    let dockerInspect = try runDocker(["context", "inspect", "fromberth"], home: home)
    let berthInspect = runCLI(["context", "inspect", "fromberth"], host: nil, environment: env)
    #expect(berthInspect.stdout == dockerInspect.stdout)
    #expect(
      runCLI(["context", "inspect", "default"], host: nil, environment: env).stdout.contains(
        #""MetadataPath": "\u003cIN MEMORY\u003e""#))

    // The list is the same in both (docker's default endpoint is its own socket).
    let dockerLs = try runDocker(
      ["context", "ls", "--format", "{{.Name}} {{.Current}} {{.DockerEndpoint}}"], home: home)
    let berthLs = runCLI(
      ["context", "ls", "--format", "{{.Name}} {{.Current}} {{.DockerEndpoint}}"], host: nil, environment: env)
    #expect(
      berthLs.stdout
        == dockerLs.stdout.replacingOccurrences(
          of: "unix:///var/run/docker.sock", with: "unix://\(EngineHost.defaultSocket)"))

    // Precedence: the current context, DOCKER_CONTEXT, --context, DOCKER_HOST, -H.
    func names(_ args: [String], _ extra: [String: String] = [:]) -> String {
      runCLI(args + ["ps", "--format", "{{.Names}}"], host: nil, environment: env.merging(extra) { $1 }).stdout
    }
    #expect(names([]) == "two\n")
    #expect(names([], ["DOCKER_CONTEXT": "fromdocker"]) == "one\n")
    #expect(names(["--context", "fromberth"], ["DOCKER_CONTEXT": "fromdocker"]) == "two\n")
    #expect(names(["--context", "fromberth"], ["DOCKER_HOST": one.host]) == "one\n")
    #expect(names(["-H", one.host], ["DOCKER_CONTEXT": "fromberth"]) == "one\n")
    let both = runCLI(["-H", one.host, "--context", "fromberth", "ps"], host: nil, environment: env)
    #expect(both.code == 1)
    #expect(both.stderr == "conflicting options: cannot specify both --host and --context\n")

    // berth updates a context docker made; docker reads the change.
    let updated = runCLI(
      ["context", "update", "fromdocker", "--description", "changed by berth"], host: nil, environment: env)
    #expect(updated.stderr == "Successfully updated context \"fromdocker\"\n")
    let described = try runDocker(["context", "ls", "--format", "{{.Name}}={{.Description}}"], home: home)
    #expect(described.stdout.contains("fromdocker=changed by berth\n"))
    #expect(names([], ["DOCKER_CONTEXT": "fromdocker"]) == "one\n")

    // Removing the current context needs -f and resets it, as docker.
    let refused = runCLI(["context", "rm", "fromberth"], host: nil, environment: env)
    #expect(refused.code == 1)
    #expect(refused.stderr == "context \"fromberth\" is in use, set -f flag to force remove\n")
    #expect(runCLI(["context", "rm", "-f", "fromberth"], host: nil, environment: env).code == 0)
    #expect(try runDocker(["context", "show"], home: home).stdout == "default\n")
    #expect(try runDocker(["context", "ls", "-q"], home: home).stdout == "default\nfromdocker\n")
  }

  @Test func contextErrorsAreDockers() throws {
    let home = try temporaryDirectory("ctx-errors")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = ["HOME": home]
    let bad = runCLI(["context", "create", "bad/name", "--docker", "host=unix:///x"], host: nil, environment: env)
    #expect(bad.code == 1)
    #expect(
      bad.stderr
        == "context name \"bad/name\" is invalid, names are validated against regexp \"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$\"\n"
    )
    let missing = runCLI(["context", "use", "nope"], host: nil, environment: env)
    #expect(missing.code == 1)
    #expect(missing.stderr.hasPrefix("context \"nope\": context not found: open \(home)/.docker/contexts/meta/"))
    #expect(
      runCLI(["context", "rm", "nope"], host: nil, environment: env).stderr == "context \"nope\" does not exist\n")
    #expect(runCLI(["context", "create", "c1", "--docker", "host=unix:///x"], host: nil, environment: env).code == 0)
    #expect(
      runCLI(["context", "create", "c1", "--docker", "host=unix:///x"], host: nil, environment: env).stderr
        == "context \"c1\" already exists\n")
    let meta = try String(
      contentsOfFile: "\(home)/.docker/contexts/meta/\(SHA256.hex("c1"))/meta.json", encoding: .utf8)
    #expect(meta == #"{"Name":"c1","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///x","SkipTLSVerify":false}}}"#)
    // DOCKER_CONFIG moves the whole store.
    let other = home + "/elsewhere"
    #expect(
      runCLI(
        ["context", "create", "c2", "--docker", "host=unix:///y"], host: nil, environment: ["DOCKER_CONFIG": other]
      )
      .code == 0)
    #expect(FileManager.default.fileExists(atPath: "\(other)/contexts/meta/\(SHA256.hex("c2"))/meta.json"))
  }

  @Test func tlsContextsConnectWithTheirFiles() throws {
    let home = try temporaryDirectory("ctx-tls")
    defer { try? FileManager.default.removeItem(atPath: home) }
    for name in ["ca", "cert", "key"] {
      FileManager.default.createFile(atPath: "\(home)/\(name).pem", contents: Data("\(name)\n".utf8))
    }
    let env = ["HOME": home]
    let created = runCLI(
      [
        "context", "create", "secure", "--docker",
        "host=tcp://127.0.0.1:2376,ca=\(home)/ca.pem,cert=\(home)/cert.pem,key=\(home)/key.pem",
      ], host: nil, environment: env)
    #expect(created.code == 0, "\(created.stderr)")
    let tls = "\(home)/.docker/contexts/tls/\(SHA256.hex("secure"))/docker"
    #expect(try String(contentsOfFile: tls + "/cert.pem", encoding: .utf8) == "cert\n")
    let ctx = CommandContext(environment: env)
    ctx.contextFlag = "secure"
    let host = try ctx.resolveHost()
    #expect(host.address == .tcp(host: "127.0.0.1", port: 2376))
    #expect(
      host.tls
        == TLSOptions(verify: true, caFile: tls + "/ca.pem", certFile: tls + "/cert.pem", keyFile: tls + "/key.pem"))
    let inspect = runCLI(
      ["context", "inspect", "secure", "--format", "{{json .TLSMaterial}}"], host: nil, environment: env)
    #expect(inspect.stdout == #"{"docker":["ca.pem","cert.pem","key.pem"]}"# + "\n")
    #expect(
      runCLI(
        ["context", "create", "loose", "--docker", "host=tcp://127.0.0.1:2376,skip-tls-verify=true"], host: nil,
        environment: env
      ).code == 0)
    ctx.contextFlag = "loose"
    #expect(try ctx.resolveHost().tls == TLSOptions(verify: false))
  }
}
