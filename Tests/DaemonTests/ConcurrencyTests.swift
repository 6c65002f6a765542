// One container's state transitions in order, under concurrent API calls, end to end against
// the built berthd: two starts at once run the container once (204 and 304, as dockerd), a
// SIGKILL returns once the exit is recorded, kill and rm -f cut through a stop's grace
// period, a slow stop holds up no other container, and a stress run of random operations
// from several clients gets only dockerd's answers and leaves nothing behind.
import Foundation
import Glibc
import Testing

@Suite(.serialized) struct ConcurrencyTests {
  /// `curl` over the unix socket: (HTTP status, body).
  static func api(_ socket: String, _ method: String, _ path: String, body: String? = nil) throws -> (Int, String) {
    var argv = [
      "/usr/bin/timeout", "60", "/usr/bin/curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--unix-socket", socket,
      "-X", method,
    ]
    if let body { argv += ["-H", "Content-Type: application/json", "-d", body] }
    argv.append("http://berth/v1.47" + path)
    let (_, out) = try Integration.run(argv)
    let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
    let status = Int(lines.last ?? "") ?? -1
    return (status, lines.dropLast().joined(separator: "\n"))
  }

  /// Runs every closure at once on its own thread; their results in order.
  static func concurrently<T: Sendable>(_ bodies: [@Sendable () throws -> T]) -> [Result<T, any Error>] {
    let results = ResultBox<T>(count: bodies.count)
    DispatchQueue.concurrentPerform(iterations: bodies.count) { i in
      results.set(i, Result { try bodies[i]() })
    }
    return results.all
  }

  static func state(_ d: TestBerthd, _ name: String) throws -> String {
    try d.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name).1
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func twoStartsAtOnceRunTheContainerOnce() throws {
    let d = TestBerthd(tag: "cstart")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let socket = d.socket
    for round in 0..<8 {
      let (rc, created) = try d.docker("create", "busybox", "sleep", "60")
      try #require(rc == 0, "create: \(created)")
      let id = created.trimmingCharacters(in: .whitespacesAndNewlines)
      let start: @Sendable () throws -> Int = { try Self.api(socket, "POST", "/containers/\(id)/start").0 }
      let answers: [Int] = Self.concurrently([start, start]).map { result in (try? result.get()) ?? -1 }
      // dockerd: 204 and 304, or 204 twice; never a 500, and the container runs.
      #expect(answers.sorted() == [204, 304] || answers == [204, 204], "round \(round): \(answers)\n\(d.logText)")
      #expect(try Self.state(d, id) == "running 0", "round \(round)")
      #expect(try d.docker("rm", "-f", id).0 == 0)
    }
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func aSIGKILLReturnsOnceTheExitIsRecorded() throws {
    let d = TestBerthd(tag: "ckill")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    for round in 0..<6 {
      #expect(try d.docker("run", "-d", "--name", "k", "busybox", "sleep", "60").0 == 0)
      #expect(try d.docker("kill", "k").0 == 0)
      // Right after the kill returns, as with dockerd.
      #expect(try Self.state(d, "k") == "exited 137", "round \(round)")
      #expect(try d.docker("rm", "k").0 == 0)
    }
    // Another signal returns at once: the container is still running right after.
    #expect(
      try d.docker("run", "-d", "--name", "k", "busybox", "sh", "-c", "trap 'sleep 2; exit 3' USR1; sleep 60 & wait").0
        == 0)
    #expect(try d.docker("kill", "-s", "USR1", "k").0 == 0)
    #expect(try Self.state(d, "k") == "running 0")
    #expect(try d.docker("rm", "-f", "k").0 == 0)
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func killAndRemoveCutThroughAStopAndOthersGoOn() throws {
    let d = TestBerthd(tag: "cstop")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    for verb in [["kill", "deaf"], ["rm", "-f", "deaf"]] {
      // PID 1 ignores SIGTERM: the stop would wait its whole 50-second grace period.
      #expect(
        try d.docker("run", "-d", "--name", "deaf", "busybox", "sh", "-c", "trap '' TERM; sleep 600 & wait").0 == 0)
      let stop = Process()
      stop.executableURL = URL(fileURLWithPath: TestBerthd.dockerBinary)
      stop.arguments = ["stop", "-t", "50", "deaf"]
      stop.environment = d.environment
      stop.standardOutput = FileHandle.nullDevice
      stop.standardError = FileHandle.nullDevice
      try stop.run()
      defer { if stop.isRunning { stop.terminate() } }
      usleep(500_000)
      // Meanwhile other containers and the API as a whole go on (the helper's 60 s
      // timeout fails these if they queue behind the stop).
      let (rc, out) = try d.docker("run", "--rm", "busybox", "echo", "other")
      #expect(rc == 0 && out == "other\n", "another container during the stop: \(out)")
      #expect(try d.docker("ps", "-q").0 == 0)
      // The kill (or rm -f) is not queued behind the grace period: the helper's timeout
      // (60 s, beyond the 50 s grace) would make it fail with 124 if it were.
      let (vrc, vout) = try d.docker(verb)
      #expect(vrc == 0, "\(verb): \(vout)")
      stop.waitUntilExit()
      #expect(stop.terminationStatus == 0, "docker stop after \(verb[0])")
      if verb[0] == "kill" {
        #expect(try Self.state(d, "deaf") == "exited 137")
        #expect(try d.docker("rm", "deaf").0 == 0)
      } else {
        #expect(try d.docker("inspect", "deaf").0 != 0, "removed")
      }
    }
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// dockerd's answers per operation, whatever state the container is in at that moment.
  static let allowed: [String: Set<Int>] = [
    "start": [204, 304, 404, 409], "stop": [204, 304, 404], "restart": [204, 404, 409],
    "kill": [204, 404, 409], "pause": [204, 404, 409], "unpause": [204, 404, 409], "rm": [204, 404, 409],
    "inspect": [200, 404], "update": [200, 404], "create": [201],
  ]

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func randomOperationsFromManyClients() throws {
    let d = TestBerthd(tag: "cstress")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let names = ["s0", "s1", "s2"]
    let socket = d.socket
    for n in names {
      let (status, body) = try Self.api(
        socket, "POST", "/containers/create?name=\(n)", body: #"{"Image":"busybox","Cmd":["sleep","600"]}"#)
      try #require(status == 201, "create \(n): \(body)")
    }
    // Four clients, a bounded number of operations each; a fixed seed per client.
    let clients: [@Sendable () throws -> [String]] = (0..<4).map { client in
      {
        var rng = SeededGenerator(seed: UInt64(client + 1) * 7919)
        var wrong: [String] = []
        for _ in 0..<30 {
          let n = names[Int(rng.next() % UInt64(names.count))]
          let ops = Array(Self.allowed.keys).sorted()
          let op = ops[Int(rng.next() % UInt64(ops.count))]
          let (status, body): (Int, String)
          switch op {
          case "start": (status, body) = try Self.api(socket, "POST", "/containers/\(n)/start")
          case "stop": (status, body) = try Self.api(socket, "POST", "/containers/\(n)/stop?t=1")
          case "restart": (status, body) = try Self.api(socket, "POST", "/containers/\(n)/restart?t=1")
          case "kill": (status, body) = try Self.api(socket, "POST", "/containers/\(n)/kill")
          case "pause": (status, body) = try Self.api(socket, "POST", "/containers/\(n)/pause")
          case "unpause": (status, body) = try Self.api(socket, "POST", "/containers/\(n)/unpause")
          case "rm": (status, body) = try Self.api(socket, "DELETE", "/containers/\(n)?force=1")
          case "inspect": (status, body) = try Self.api(socket, "GET", "/containers/\(n)/json")
          case "update":
            (status, body) = try Self.api(socket, "POST", "/containers/\(n)/update", body: #"{"CpuShares":512}"#)
          default:
            (status, body) = try Self.api(
              socket, "POST", "/containers/create?name=\(n)", body: #"{"Image":"busybox","Cmd":["sleep","600"]}"#)
            if status == 409 { continue }  // the name is taken: fine
          }
          if !(Self.allowed[op] ?? []).contains(status) { wrong.append("\(op) \(n): \(status) \(body)") }
        }
        return wrong
      }
    }
    let wrong = Self.concurrently(clients).flatMap { (try? $0.get()) ?? ["a client failed"] }
    #expect(wrong.isEmpty, "answers outside dockerd's: \(wrong)\n\(d.logText.suffix(3000))")
    // No impossible state: each container is in one of dockerd's states, and a running one
    // has a live process.
    for n in names {
      let (rc, out) = try d.docker("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", n)
      guard rc == 0 else { continue }
      let parts = out.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      #expect(["created", "running", "paused", "exited", "restarting"].contains(parts.first ?? ""), "\(n): \(out)")
      if parts.first == "running" || parts.first == "paused", let pid = Int32(parts.last ?? "") {
        let alive = Glibc.kill(pid, 0) == 0
        #expect(alive, "\(n) is \(out) but its process is gone")
      }
      if parts.first == "exited" || parts.first == "created" { #expect(parts.last == "0", "\(n): \(out)") }
    }
    for n in names { _ = try d.docker("rm", "-f", n) }
    let left = d.waitForNoLeftovers(seconds: 20)
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test(.enabled(if: TestBerthd.missing == nil && Integration.hasRunc, "needs root, busybox, docker, runc"))
  func runcThroughBerthd() throws {
    let d = TestBerthd(tag: "crunc")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    var (rc, out) = try d.docker("run", "--runtime", "runc", "--rm", "busybox", "echo", "hi")
    #expect(rc == 0 && out == "hi\n", "docker run --runtime runc: \(out)\n\(d.logText)")
    (rc, out) = try d.docker("info", "--format", "{{json .Runtimes}} {{.DefaultRuntime}}")
    #expect(out.contains("\"runc\"") && out.contains("\"berth\"") && out.hasSuffix(" berth\n"), "info: \(out)")
    (rc, out) = try d.docker("create", "--runtime", "runc", "--name", "r", "busybox", "sleep", "60")
    #expect(rc == 0, "create --runtime runc: \(out)")
    (rc, out) = try d.docker("inspect", "-f", "{{.HostConfig.Runtime}}", "r")
    #expect(out == "runc\n")
    // Started, killed and removed through runc's command line.
    #expect(try d.docker("start", "r").0 == 0)
    #expect(try Self.state(d, "r") == "running 0")
    #expect(try d.docker("kill", "r").0 == 0)
    #expect(try Self.state(d, "r") == "exited 137")
    #expect(try d.docker("rm", "r").0 == 0)
    _ = try d.docker("create", "--name", "plain", "busybox", "true")
    (rc, out) = try d.docker("inspect", "-f", "{{.HostConfig.Runtime}}", "plain")
    #expect(out == "berth\n", "the default runtime: \(out)")
    (rc, out) = try d.docker("run", "--runtime", "nope", "busybox", "true")
    #expect(rc != 0 && out.contains("unknown or invalid runtime name: nope"), "unknown runtime: \(out)")
    _ = try d.docker("container", "prune", "-f")
    #expect(TestBerthd.entries(d.execRoot + "/runtimes/runc").isEmpty, "runc state left")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }
}

/// A deterministic random sequence (xorshift), so a failing run can be repeated.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
  mutating func next() -> UInt64 {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return state
  }
}

/// Results written from several threads, read after they finished.
final class ResultBox<T: Sendable>: @unchecked Sendable {
  private var values: [Result<T, any Error>?]
  private let lock = NSLock()
  init(count: Int) { values = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: Result<T, any Error>) {
    lock.lock()
    values[i] = value
    lock.unlock()
  }
  var all: [Result<T, any Error>] {
    lock.lock()
    defer { lock.unlock() }
    return values.map { $0 ?? .failure(IntegrationError("not run")) }
  }
}
