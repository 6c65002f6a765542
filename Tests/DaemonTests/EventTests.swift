// The events stream (GET /events) through the real docker CLI against a private berthd.
import EngineAPI
import Foundation
import Synchronization
import Testing

@testable import Daemon

@Suite(.serialized) struct EventTests {
  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func pastContainerEventsInOrder() throws {
    let d = TestBerthd(tag: "ev")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    let since = Int(Date().timeIntervalSince1970) - 1
    var (rc, out) = try d.docker("run", "--rm", "busybox", "true")
    #expect(rc == 0, "run: \(out)")
    let until = Int(Date().timeIntervalSince1970) + 2
    (rc, out) = try d.docker(
      "events", "--since", "\(since)", "--until", "\(until)", "--filter", "type=container", "--format",
      "{{.Type}} {{.Action}} {{.Actor.Attributes.image}}")
    #expect(rc == 0, "events: \(out)")
    let lines = out.split(separator: "\n").map(String.init)
    #expect(
      lines == [
        "container create busybox", "container start busybox", "container die busybox",
        "container destroy busybox",
      ], "events: \(out)")

    (rc, out) = try d.docker(
      "events", "--since", "\(since)", "--until", "\(until)", "--filter", "event=die", "--format",
      "{{.Action}} {{.Actor.Attributes.exitCode}}")
    #expect(rc == 0 && out == "die 0\n", "die filter: \(out)")
    (rc, out) = try d.docker(
      "events", "--since", "\(since)", "--until", "\(until)", "--filter", "type=volume", "--format", "{{.Action}}")
    #expect(rc == 0 && out.isEmpty, "type=volume: \(out)")

    (rc, out) = try d.docker("tag", "busybox", "mine:1")
    #expect(rc == 0, "tag: \(out)")
    (rc, out) = try d.docker("volume", "create", "ev1")
    #expect(rc == 0, "volume create: \(out)")
    (rc, out) = try d.docker("volume", "rm", "ev1")
    #expect(rc == 0, "volume rm: \(out)")
    let later = Int(Date().timeIntervalSince1970) + 2
    (rc, out) = try d.docker(
      "events", "--since", "\(since)", "--until", "\(later)", "--filter", "type=image", "--filter", "type=volume",
      "--format", "{{.Type}} {{.Action}} {{.Actor.ID}}")
    let tail = out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("image import") }
    #expect(rc == 0 && tail.count == 3, "image/volume events: \(out)")
    #expect(tail.first?.hasPrefix("image tag sha256:") == true, "\(out)")
    #expect(Array(tail.dropFirst()) == ["volume create ev1", "volume destroy ev1"], "\(out)")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func liveEventsAreStreamed() throws {
    let d = TestBerthd(tag: "evl")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    let p = Process()
    p.executableURL = URL(fileURLWithPath: TestBerthd.dockerBinary)
    p.arguments = ["events", "--format", "{{.Action}} {{.Actor.Attributes.name}}"]
    p.environment = d.environment
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    let collected = Mutex("")
    pipe.fileHandleForReading.readabilityHandler = { h in
      let data = h.availableData
      collected.withLock { $0 += String(decoding: data, as: UTF8.self) }
    }
    try p.run()
    defer {
      if p.isRunning { p.terminate() }
      p.waitUntilExit()
      pipe.fileHandleForReading.readabilityHandler = nil
    }
    usleep(500_000)
    var (rc, out) = try d.docker("run", "-d", "--name", "live", "busybox", "sleep", "30")
    #expect(rc == 0, "run: \(out)")
    for _ in 0..<100 where !collected.withLock({ $0.contains("start live") }) { usleep(50_000) }
    #expect(collected.withLock { $0.contains("create live\nstart live\n") }, "\(collected.withLock { $0 })")
    (rc, out) = try d.docker("rm", "-f", "live")
    #expect(rc == 0, "rm -f: \(out)")
    for _ in 0..<100 where !collected.withLock({ $0.contains("destroy live") }) { usleep(50_000) }
    #expect(collected.withLock { $0.contains("die live\ndestroy live\n") }, "\(collected.withLock { $0 })")
  }

  @Test func busKeepsTheLastEventsAndFilters() async throws {
    let bus = EventBus(capacity: 4)
    for i in 0..<6 { bus.publish(type: "container", action: "start", id: "c\(i)", attributes: ["name": "n\(i)"]) }
    bus.publish(type: "volume", action: "create", id: "v", attributes: [:])
    var seen: [String] = []
    for try await m in bus.subscribe(since: 0, until: 1, filters: Filters()) { seen.append(m.actor?.id ?? "") }
    #expect(seen.isEmpty, "until in the past before every event")
    let soon = Date().timeIntervalSince1970 + 0.5
    for try await m in bus.subscribe(since: 0, until: soon, filters: Filters(["type": ["container"]])) {
      seen.append(m.actor?.id ?? "")
      if seen.count == 3 { break }
    }
    #expect(seen == ["c3", "c4", "c5"])
    let live = bus.subscribe(since: nil, until: nil, filters: Filters(["container": ["n9"], "event": ["die"]]))
    bus.publish(type: "container", action: "die", id: "c8", attributes: ["name": "n8"])
    bus.publish(type: "container", action: "die", id: "c9", attributes: ["name": "n9", "exitCode": "3"])
    var it = live.makeAsyncIterator()
    let m = try await it.next()
    #expect(m?.actor?.id == "c9" && m?.actor?.attributes["exitCode"] == "3" && m?.status == "die")
    #expect(m?.scope == "local" && (m?.timeNano ?? 0) / 1_000_000_000 == m?.time)
  }
}
