import Foundation
import Testing

/// The CLI sends the newest API version without pinging first, and falls back to
/// negotiation only when the daemon refuses it as too new (as dockerd 20.10 does: 1.41).
struct VersionNegotiationTests {
  static func listingEngine(maxAPIVersion: String) throws -> FakeEngine {
    let engine = try FakeEngine()
    engine.maxAPIVersion = maxAPIVersion
    engine.handler = { r in
      switch r.path {
      case "/containers/json": return .json(200, "[]")
      case "/images/load": return .json(200, #"{"stream":"Loaded image: x:1\n"}"#)
      default: return .json(404, #"{"message":"nope"}"#)
      }
    }
    engine.start()
    return engine
  }

  @Test func aCurrentDaemonGetsNoPing() throws {
    let engine = try Self.listingEngine(maxAPIVersion: "1.47")
    defer { engine.stop() }
    let r = runCLI(["ps"], host: engine.host)
    #expect(r.code == 0, "\(r.stderr)")
    #expect(engine.targets == ["GET /v1.47/containers/json"])
  }

  @Test func anOlderDaemonIsNegotiatedWithAndTheRequestSentAgain() throws {
    let engine = try Self.listingEngine(maxAPIVersion: "1.41")
    defer { engine.stop() }
    let r = runCLI(["ps"], host: engine.host)
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("CONTAINER ID"))
    #expect(engine.targets == ["GET /v1.47/containers/json", "GET /_ping", "GET /v1.41/containers/json"])
    #expect(engine.requests == ["GET /containers/json"])
  }

  @Test func aStreamedBodyIsOnlySentOnceItsVersionIsKnown() throws {
    let engine = try Self.listingEngine(maxAPIVersion: "1.41")
    defer { engine.stop() }
    let archive = FileManager.default.temporaryDirectory.appendingPathComponent("load-\(UUID().uuidString).tar")
    try Data(repeating: 0, count: 1024).write(to: archive)
    defer { try? FileManager.default.removeItem(at: archive) }
    let r = runCLI(["load", "-i", archive.path], host: engine.host)
    #expect(r.code == 0, "\(r.stderr)")
    #expect(engine.targets == ["GET /_ping", "POST /v1.41/images/load"])
  }

  @Test func otherBadRequestsAreNotRetried() throws {
    let engine = try FakeEngine()
    engine.handler = { _ in .json(400, #"{"message":"invalid reference format"}"#) }
    engine.start()
    defer { engine.stop() }
    let r = runCLI(["ps"], host: engine.host)
    #expect(r.code != 0)
    #expect(r.stderr.contains("invalid reference format"))
    #expect(engine.targets == ["GET /v1.47/containers/json"])
  }
}
