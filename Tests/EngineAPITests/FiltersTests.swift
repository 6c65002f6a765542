import EngineAPI
import Testing

@Suite struct FiltersTests {
  @Test func parsesTheCurrentForm() throws {
    let f = try Filters(json: #"{"label":["a=b","c"],"status":["running"]}"#)
    #expect(f.values("label") == ["a=b", "c"])
    #expect(f.match("status", "running"))
    #expect(!f.match("status", "exited"))
    #expect(f.match("name", "anything"))
    #expect(f.matchLabels(["a": "b", "c": "1"]))
    #expect(!f.matchLabels(["a": "x", "c": "1"]))
    #expect(!f.matchLabels(["a": "b"]))
  }

  @Test func parsesTheLegacyForm() throws {
    let f = try Filters(json: #"{"dangling":{"true":true},"label":{"x=y":true,"z":false}}"#)
    #expect(f.values("dangling") == ["true"])
    #expect(f.values("label") == ["x=y"])
  }

  @Test func emptyAndInvalid() throws {
    #expect(try Filters(json: nil).isEmpty)
    #expect(try Filters(json: "").isEmpty)
    #expect(throws: EngineError.self) { try Filters(json: "not json") }
    #expect(throws: EngineError.self) { try Filters(json: "[1]") }
    #expect(throws: EngineError.self) { try Filters(json: #"{"a":[1]}"#).validate(allowed: []) }
    let f = try Filters(json: #"{"bogus":["1"]}"#)
    #expect(throws: EngineError.badParameter("invalid filter 'bogus'")) { try f.validate(allowed: ["label"]) }
  }
}

@Suite struct StdStreamFrameTests {
  @Test func encodesAndDecodes() {
    let frame = StdStreamFrame.encode(stream: .stderr, Array("hi".utf8))
    #expect(frame == [2, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69])
    let (frames, rest) = StdStreamFrame.decode(frame + StdStreamFrame.encode(stream: .stdout, [1, 2, 3]) + [1, 0])
    #expect(
      frames == [
        OutputChunk(stream: .stderr, bytes: Array("hi".utf8)), OutputChunk(stream: .stdout, bytes: [1, 2, 3]),
      ])
    #expect(rest == [1, 0])
  }

  @Test func errorStatusCodes() {
    #expect(EngineError.notFound("x").statusCode == 404)
    #expect(EngineError.conflict("x").statusCode == 409)
    #expect(EngineError.badParameter("x").statusCode == 400)
    #expect(EngineError.notImplemented("x").statusCode == 501)
    #expect(EngineError.internal("x").statusCode == 500)
  }
}
