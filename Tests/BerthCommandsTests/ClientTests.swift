import EngineAPI
import EngineClient
import Foundation
import Glibc
import Testing

@testable import BerthCommands

@Suite(.serialized) struct ClientTests {
  static let now = Int(Date().timeIntervalSince1970)

  @Test func psPrintsDockersTable() throws {
    let engine = try FakeEngine()
    engine.handler = { r in
      guard r.path == "/containers/json" else { return .json(404, #"{"message":"nope"}"#) }
      return .json(
        200,
        #"[{"Id":"4c01db0b339c1234567890abcdef","Names":["/silly_name"],"Image":"busybox","ImageID":"sha256:aa","Command":"sleep 1000000000000 && echo","Created":\#(Self.now - 6),"Ports":[],"Labels":{},"State":"running","Status":"Up 5 seconds"}]"#
      )
    }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["ps"], host: engine.host)
    #expect(r.code == 0)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(
      lines[0] == "CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS     NAMES")
    #expect(lines[1].hasPrefix("4c01db0b339c   busybox   \"sleep 1000000000000…\"   "))
    #expect(lines[1].hasSuffix("Up 5 seconds             silly_name"))
    let q = runCLI(["ps", "-aq"], host: engine.host)
    #expect(q.stdout == "4c01db0b339c\n")
    #expect(engine.requests.contains("GET /containers/json"))
  }

  @Test func imagesPrintsDockersTable() throws {
    let engine = try FakeEngine()
    engine.handler = { r in
      .json(
        200,
        #"[{"Id":"sha256:65ad0d468eb1c558bf7f4e64e790f586e9eda649ee9f130cd0e835b292bbc5ac","RepoTags":["busybox:latest"],"RepoDigests":[],"Created":\#(Self.now - 86400 * 30),"Size":4261550,"SharedSize":-1,"Containers":-1}]"#
      )
    }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["images"], host: engine.host)
    #expect(r.code == 0)
    #expect(
      r.stdout
        == "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\nbusybox      latest    65ad0d468eb1   4 weeks ago   4.26MB\n"
    )
  }

  @Test func daemonErrorsAreSurfaced() throws {
    let engine = try FakeEngine()
    engine.handler = { _ in .json(404, #"{"message":"No such container: nope"}"#) }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["stop", "nope"], host: engine.host)
    #expect(r.code == 1)
    #expect(r.stderr == "Error response from daemon: No such container: nope\n")
    let i = runCLI(["inspect", "--type", "container", "nope"], host: engine.host)
    #expect(i.code == 1)
    #expect(i.stdout == "[]\n")
  }

  @Test func cannotConnect() {
    let r = runCLI(["ps"], host: "unix:///nonexistent/berth.sock")
    #expect(r.code == 1)
    #expect(r.stderr.contains("Cannot connect to the berth daemon at unix:///nonexistent/berth.sock"))
  }

  @Test func severalHostsAreRefusedLikeDocker() throws {
    let engine = try FakeEngine()
    var requests = 0
    engine.handler = { _ in
      requests += 1
      return .json(200, "[]")
    }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["-H", engine.host, "-H", engine.host, "ps"], host: nil)
    #expect(r.code == 1)
    #expect(r.stderr == "Failed to initialize: unable to resolve berth endpoint: Specify only one -H\n")
    #expect(requests == 0)
    let one = runCLI(["-H", engine.host, "ps", "-q"], host: nil)
    #expect(one.code == 0, "\(one.stderr)")
  }

  /// `run --rm busybox echo hi`: create → attach (hijacked) → wait(removed) → start; framed output; exit code.
  @Test func runSequence() throws {
    let engine = try FakeEngine()
    let started = DispatchSemaphore(value: 0)
    let waitArrived = DispatchSemaphore(value: 0)
    engine.handler = { r in
      switch (r.method, r.path) {
      case ("POST", "/containers/create"):
        return .json(201, #"{"Id":"c0ffee","Warnings":[]}"#)
      case ("POST", "/containers/c0ffee/attach"):
        #expect(r.headers["upgrade"] == "tcp")
        return .custom { fd in
          engine.write(
            fd,
            Array(
              "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                .utf8))
          started.wait()
          engine.write(fd, StdStreamFrame.encode(stream: .stdout, Array("hi\n".utf8)))
          engine.write(fd, StdStreamFrame.encode(stream: .stderr, Array("warn\n".utf8)))
        }
      case ("POST", "/containers/c0ffee/wait"):
        #expect(r.query == "condition=removed")
        waitArrived.signal()
        return .custom { fd in
          engine.write(
            fd, Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
          started.wait()
          let body = #"{"StatusCode":3,"Error":null}"# + "\n"
          engine.write(fd, Array("\(String(body.utf8.count, radix: 16))\r\n\(body)\r\n0\r\n\r\n".utf8))
        }
      case ("POST", "/containers/c0ffee/start"):
        #expect(waitArrived.wait(timeout: .now() + 5) == .success, "wait must be sent before start")
        started.signal()
        started.signal()
        return .empty(204)
      default:
        return .json(404, #"{"message":"unexpected \#(r.method) \#(r.path)"}"#)
      }
    }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["run", "--rm", "busybox", "echo", "hi"], host: engine.host)
    #expect(r.stdout == "hi\n")
    #expect(r.stderr == "warn\n")
    #expect(r.code == 3)
    let sequence = engine.requests.filter { !$0.hasPrefix("GET /_ping") }
    #expect(
      sequence.filter { !$0.hasSuffix("/wait") } == [
        "POST /containers/create", "POST /containers/c0ffee/attach", "POST /containers/c0ffee/start",
      ])
    #expect(sequence.contains("POST /containers/c0ffee/wait"))
    let body = try JSON.parse(engine.body(of: "POST /containers/create") ?? [])
    #expect(body["Image"]?.stringValue == "busybox")
    #expect(body["Cmd"]?.stringArray == ["echo", "hi"])
    #expect(body["HostConfig"]?["AutoRemove"]?.boolValue == true)
    #expect(body["AttachStdout"]?.boolValue == true)
  }

  @Test func runPullsMissingImage() throws {
    let engine = try FakeEngine()
    let lock = NSLock()
    var pulled = false
    engine.handler = { r in
      switch (r.method, r.path) {
      case ("POST", "/containers/create"):
        lock.lock()
        defer { lock.unlock() }
        return pulled
          ? .json(201, #"{"Id":"abc123","Warnings":[]}"#) : .json(404, #"{"message":"No such image: busybox:latest"}"#)
      case ("POST", "/images/create"):
        #expect(r.query == "fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest")
        lock.lock()
        pulled = true
        lock.unlock()
        return .json(
          200,
          #"{"status":"Pulling from library/busybox","id":"latest"}"# + "\n"
            + #"{"status":"Status: Downloaded newer image for busybox:latest"}"#)
      case ("POST", "/containers/abc123/start"):
        return .empty(204)
      default:
        return .json(404, #"{"message":"unexpected"}"#)
      }
    }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["run", "-d", "busybox"], host: engine.host)
    #expect(r.code == 0)
    #expect(r.stdout == "abc123\n")
    #expect(r.stderr.hasPrefix("Unable to find image 'busybox:latest' locally\n"))
    #expect(r.stderr.contains("Status: Downloaded newer image for busybox:latest"))
  }

  @Test func runStartFailureMapsExitCodes() throws {
    let engine = try FakeEngine()
    engine.handler = { r in
      switch r.path {
      case "/containers/create": return .json(201, #"{"Id":"x1","Warnings":[]}"#)
      case "/containers/x1/start":
        return .json(400, #"{"message":"failed to create task: exec: \"nope\": executable file not found in $PATH"}"#)
      default: return .json(404, #"{"message":"unexpected"}"#)
      }
    }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["run", "-d", "busybox", "nope"], host: engine.host)
    #expect(r.code == 127)
    #expect(r.stderr.hasPrefix("berth: Error response from daemon: failed to create task"))
    #expect(r.stderr.contains("Run 'berth run --help' for more information"))
  }

  @Test func logsDemultiplexAndLoadStreamsTheBody() throws {
    let engine = try FakeEngine()
    let tar = [UInt8](repeating: 7, count: 300_000)
    engine.handler = { r in
      switch r.path {
      case "/containers/c/json": return .json(200, #"{"Id":"c","Config":{"Tty":false}}"#)
      case "/containers/c/logs":
        let frames = StdStreamFrame.encode(stream: .stdout, Array("line1\n".utf8))
        return .raw(
          Array("HTTP/1.1 200 OK\r\nContent-Length: \(frames.count)\r\n\r\n".utf8) + frames)
      case "/images/load":
        #expect(r.body.count == tar.count)
        return .json(200, #"{"stream":"Loaded image: busybox:latest\n"}"#)
      default: return .json(404, #"{"message":"unexpected"}"#)
      }
    }
    engine.start()
    defer { engine.stop() }
    let logs = runCLI(["logs", "c"], host: engine.host)
    #expect(logs.stdout == "line1\n")
    #expect(logs.code == 0)
    let path = "/tmp/berth-load-\(getpid()).tar"
    FileManager.default.createFile(atPath: path, contents: Data(tar))
    defer { unlink(path) }
    let load = runCLI(["load", "-i", path], host: engine.host)
    #expect(load.code == 0)
    #expect(load.stdout == "Loaded image: busybox:latest\n")
  }

  @Test func inspectFormat() throws {
    let engine = try FakeEngine()
    engine.handler = { r in
      r.path == "/containers/web/json"
        ? .json(200, #"{"Id":"abc","Name":"/web","State":{"Status":"running","ExitCode":0}}"#)
        : .json(404, #"{"message":"No such container"}"#)
    }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["inspect", "--format", "{{.State.Status}} {{.Name}}", "web"], host: engine.host)
    #expect(r.stdout == "running /web\n")
    let full = runCLI(["container", "inspect", "web"], host: engine.host)
    #expect(full.stdout.hasPrefix("[\n    {\n        \"Id\": \"abc\","))
  }
}
