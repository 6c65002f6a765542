import EngineAPI
import EngineClient
import Testing

@Suite struct StreamTests {
  @Test func demuxesFramesSplitAcrossReads() {
    let bytes =
      StdStreamFrame.encode(stream: .stdout, Array("hello\n".utf8))
      + StdStreamFrame.encode(stream: .stderr, Array("oops\n".utf8))
    var d = StreamDemuxer()
    var frames: [OutputChunk] = []
    for b in bytes { frames += d.feed([b]) }
    #expect(frames.count == 2)
    #expect(frames[0] == OutputChunk(stream: .stdout, bytes: Array("hello\n".utf8)))
    #expect(frames[1] == OutputChunk(stream: .stderr, bytes: Array("oops\n".utf8)))
    #expect(d.leftover == 0)
  }

  @Test func decodesChunkedBodies() throws {
    let raw = Array("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\nGARBAGE".utf8)
    var d = ChunkedDecoder()
    var out: [UInt8] = []
    for b in raw { out += try d.feed([b]) }
    #expect(String(decoding: out, as: UTF8.self) == "hello, world")
    #expect(d.isFinished)
    var whole = ChunkedDecoder()
    #expect(try whole.feed(Array("a\r\n0123456789\r\n0\r\n\r\n".utf8)) == Array("0123456789".utf8))
    #expect(whole.isFinished)
    var bad = ChunkedDecoder()
    #expect(throws: (any Error).self) { try bad.feed(Array("zz\r\n".utf8)) }
  }

  @Test func hostResolution() throws {
    #expect(try EngineHost.resolve(flag: nil, environment: [:]).socketPath == "/run/berth/berth.sock")
    #expect(try EngineHost.resolve(flag: nil, environment: ["DOCKER_HOST": "unix:///a.sock"]).socketPath == "/a.sock")
    #expect(
      try EngineHost.resolve(flag: nil, environment: ["DOCKER_HOST": "unix:///a.sock", "BERTH_HOST": "unix:///b.sock"])
        .socketPath == "/b.sock")
    #expect(throws: (any Error).self) { try EngineHost(parsing: "ssh://me@host") }
    #expect(EngineClient.minVersion("1.50", "1.47") == "1.47")
    #expect(EngineClient.minVersion("1.41", "1.47") == "1.41")
  }
}
