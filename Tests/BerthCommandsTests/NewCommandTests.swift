import EngineClient
import Foundation
import Testing

@testable import BerthCommands

/// commit, export, prune, network ls, port and detach keys against a fake daemon, with the
/// outputs the docker CLI 28 prints for the same answers.
@Suite(.serialized) struct NewCommandTests {
  func engine(_ handler: @escaping (FakeEngine.Request) -> FakeEngine.Reply) throws -> FakeEngine {
    let engine = try FakeEngine()
    engine.handler = handler
    engine.start()
    return engine
  }

  static func pruneReply(_ r: FakeEngine.Request) -> FakeEngine.Reply {
    switch r.path {
    case "/containers/prune": return .json(200, #"{"ContainersDeleted":["c1","c2"],"SpaceReclaimed":1000}"#)
    case "/networks/prune": return .json(200, #"{"NetworksDeleted":["n1"]}"#)
    case "/volumes/prune": return .json(200, #"{"VolumesDeleted":["v1"],"SpaceReclaimed":2000}"#)
    case "/images/prune":
      return .json(
        200, #"{"ImagesDeleted":[{"Untagged":"busybox:latest"},{"Deleted":"sha256:aa"}],"SpaceReclaimed":3000000}"#)
    case "/build/prune": return .json(200, #"{"CachesDeleted":["x1"],"SpaceReclaimed":4000}"#)
    default: return .json(404, #"{"message":"page not found"}"#)
    }
  }

  @Test func systemPruneAsksThenPrunesEverythingInDockersOrder() throws {
    let fake = try engine(Self.pruneReply)
    defer { fake.stop() }
    let declined = runCLI(["system", "prune"], host: fake.host, stdin: "n\n")
    #expect(declined.code == 0)
    #expect(fake.requests.isEmpty)
    #expect(
      declined.stdout
        == "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n\nAre you sure you want to continue? [y/N] "
    )
    let r = runCLI(["system", "prune", "-a", "--volumes", "--filter", "label=x"], host: fake.host, stdin: "y\n")
    #expect(r.code == 0)
    #expect(
      fake.requests == [
        "POST /containers/prune", "POST /networks/prune", "POST /volumes/prune", "POST /images/prune",
        "POST /build/prune",
      ])
    #expect(
      r.stdout.hasSuffix(
        "[y/N] Deleted Containers:\nc1\nc2\n\nDeleted Networks:\nn1\n\nDeleted Volumes:\nv1\n\nDeleted Images:\nuntagged: busybox:latest\ndeleted: sha256:aa\n\nDeleted build cache objects:\nx1\n\nTotal reclaimed space: 3.007MB\n"
      ))
    #expect(r.stdout.contains("  Items to be pruned will be filtered with:\n  - label=x\n"))
    let forced = runCLI(["container", "prune", "-f"], host: fake.host)
    #expect(forced.stdout == "Deleted Containers:\nc1\nc2\n\nTotal reclaimed space: 1kB\n")
    let networks = runCLI(["network", "prune", "-f"], host: fake.host)
    #expect(networks.stdout == "Deleted Networks:\nn1\n\n")
  }

  @Test func networkListAndPortPrintLikeDocker() throws {
    let fake = try engine { r in
      switch r.path {
      case "/networks":
        return .json(
          200,
          #"[{"Name":"mynet","Id":"1234567890abcdef1234567890abcdef","Created":"2026-12-02T10:00:00Z","Scope":"local","Driver":"bridge","EnableIPv6":true,"Internal":true,"Labels":{"a":"1"}},{"Name":"bridge","Id":"7ab4e1f3a3d9c6b1b1a0","Created":"2026-12-01T10:00:00.123456789Z","Scope":"local","Driver":"bridge","EnableIPv6":false,"Internal":false,"Labels":{}}]"#
        )
      case "/containers/ctr/json":
        return .json(
          200,
          #"{"Id":"ctr","NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}],"53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}],"90/tcp":null}}}"#
        )
      default: return .json(404, #"{"message":"nope"}"#)
      }
    }
    defer { fake.stop() }
    #expect(
      runCLI(["network", "ls"], host: fake.host).stdout
        == "NETWORK ID     NAME      DRIVER    SCOPE\n7ab4e1f3a3d9   bridge    bridge    local\n1234567890ab   mynet     bridge    local\n"
    )
    #expect(
      runCLI(["network", "ls", "--format", "{{.Name}} {{.CreatedAt}} {{.IPv6}} {{.Labels}}"], host: fake.host).stdout
        == "bridge 2026-12-01 10:00:00.123456789 +0000 UTC false \nmynet 2026-12-02 10:00:00 +0000 UTC true a=1\n")
    #expect(
      runCLI(["port", "ctr"], host: fake.host).stdout
        == "53/udp -> 127.0.0.1:5353\n80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n")
    #expect(runCLI(["port", "ctr", "80"], host: fake.host).stdout == "0.0.0.0:8080\n[::]:8080\n")
    let missing = runCLI(["port", "ctr", "90"], host: fake.host)
    #expect(missing.code == 1)
    #expect(missing.stderr == "Error: No public port '90' published for ctr\n")
  }

  @Test func exportWritesTheTarAndCommitPrintsTheID() throws {
    let dir = try temporaryDirectory("export")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fake = try engine { r in
      switch r.path {
      case "/containers/ctr/export":
        return .raw(Array("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: 5\r\n\r\nTAR!!".utf8))
      case "/commit": return .json(201, #"{"Id":"sha256:0123"}"#)
      default: return .json(404, #"{"message":"No such container: x"}"#)
      }
    }
    defer { fake.stop() }
    let r = runCLI(["export", "-o", dir + "/out.tar", "ctr"], host: fake.host)
    #expect(r.code == 0)
    #expect(try String(contentsOfFile: dir + "/out.tar", encoding: .utf8) == "TAR!!")
    let failed = runCLI(["export", "-o", dir + "/none.tar", "x"], host: fake.host)
    #expect(failed.code == 1)
    #expect(!FileManager.default.fileExists(atPath: dir + "/none.tar"))
    let commit = runCLI(["container", "commit", "ctr"], host: fake.host)
    #expect(commit.stdout == "sha256:0123\n")
  }

  @Test func detachKeysComeFromTheConfigOrTheFlag() throws {
    let home = try temporaryDirectory("detach")
    defer { try? FileManager.default.removeItem(atPath: home) }
    try FileManager.default.createDirectory(atPath: home + "/.docker", withIntermediateDirectories: true)
    FileManager.default.createFile(
      atPath: home + "/.docker/config.json", contents: Data(#"{"detachKeys":"ctrl-a,x"}"#.utf8))
    let lock = NSLock()
    var attachQuery = ""
    let fake = try engine { r in
      switch (r.method, r.path) {
      case ("POST", "/containers/ctr/exec"): return .json(201, #"{"Id":"e1"}"#)
      case ("POST", "/exec/e1/start"): return .empty(200)
      case ("GET", "/containers/ctr/json"):
        return .json(200, #"{"Id":"ctr","State":{"Running":true},"Config":{"Tty":false,"OpenStdin":false}}"#)
      case ("POST", "/containers/ctr/attach"):
        lock.lock()
        attachQuery = r.query
        lock.unlock()
        return .raw(Array("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n".utf8))
      default: return .json(404, #"{"message":"nope"}"#)
      }
    }
    defer { fake.stop() }
    let env = ["HOME": home]
    #expect(runCLI(["exec", "-d", "ctr", "true"], host: fake.host, environment: env).code == 0)
    var body = try JSON.parse(try #require(fake.body(of: "POST /containers/ctr/exec")))
    #expect(body["DetachKeys"]?.stringValue == "ctrl-a,x")
    #expect(
      runCLI(["exec", "-d", "--detach-keys", "ctrl-e", "ctr", "true"], host: fake.host, environment: env).code == 0)
    body = try JSON.parse(try #require(fake.body(of: "POST /containers/ctr/exec")))
    #expect(body["DetachKeys"]?.stringValue == "ctrl-e")
    _ = runCLI(["attach", "ctr"], host: fake.host, environment: env)
    lock.lock()
    let query = attachQuery
    lock.unlock()
    #expect(query.contains("detachKeys=ctrl-a%2Cx"))
  }
}
