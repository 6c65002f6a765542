import Foundation
import Testing

@testable import Shim

/// Pure pieces: the wire format, json-file encoding, timestamps, rotation.
struct ShimUnitTests {
  @Test func controlMessagesRoundTripAndWaitForWholeFrames() throws {
    let request = ShimRequest(op: .resize, rows: 40, cols: 100)
    let frame = ShimWire.controlMessage(Array(try JSONEncoder().encode(request)))
    var buffer = Array(frame.prefix(3))
    #expect(try ShimWire.takeControlMessage(from: &buffer) == nil)
    buffer = frame + [1, 2]
    let message = try #require(try ShimWire.takeControlMessage(from: &buffer))
    #expect(try JSONDecoder().decode(ShimRequest.self, from: Data(message)) == request)
    #expect(buffer == [1, 2])
  }

  @Test func oversizedControlMessagesAreRejected() {
    var buffer = ShimWire.bigEndian(UInt32(ShimWire.maxControlMessage + 1)) + [0]
    #expect(throws: ShimError.self) { try ShimWire.takeControlMessage(from: &buffer) }
  }

  @Test func outputFramesHaveStreamAndBigEndianLength() {
    #expect(ShimWire.outputFrame(.stderr, Array("hi".utf8)) == [2, 0, 0, 0, 2, 0x68, 0x69])
  }

  @Test func logLinesAreEscapedLikeDockers() throws {
    let line = JSONLogLine.encode(Array("a\"b\\<c>&\t\u{1}\n".utf8) + [0xff], stream: "stdout", time: "T")
    let text = String(decoding: line, as: UTF8.self)
    #expect(text == #"{"log":"a\"b\\\u003cc\u003e\u0026\t\u0001\n\#u{fffd}","stream":"stdout","time":"T"}"# + "\n")
    let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: String]
    #expect(object?["log"] == "a\"b\\<c>&\t\u{1}\n\u{fffd}")
  }

  @Test func timestampsAreRFC3339WithNanoseconds() {
    #expect(LogTimestamp.format(seconds: 1_795_420_800, nanoseconds: 123_456_789) == "2026-11-23T08:00:00.123456789Z")
    #expect(LogTimestamp.format(seconds: 0, nanoseconds: 5) == "1970-01-01T00:00:00.000000005Z")
  }

  @Test func writerSplitsLinesAndHoldsPartialOnesUntilFlush() throws {
    let dir = NSTemporaryDirectory() + "shim-unit-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/c.log"
    let writer = try JSONLogWriter(path: path, maxSize: 0, maxFiles: 1)
    writer.write(.stdout, Array("one\ntw".utf8))
    writer.write(.stderr, Array("e\n".utf8))
    writer.write(.stdout, Array("o\nthr".utf8))
    writer.flush()
    let logs = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])?["log"] ?? ""
    }
    #expect(logs == ["one\n", "e\n", "two\n", "thr"])
  }

  @Test func writerWithOneFileTruncates() throws {
    let dir = NSTemporaryDirectory() + "shim-unit-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/c.log"
    let writer = try JSONLogWriter(path: path, maxSize: 200, maxFiles: 1)
    for i in 0..<20 { writer.write(.stdout, Array("line \(i)\n".utf8)) }
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    #expect(size < 200)
    #expect(!FileManager.default.fileExists(atPath: path + ".1"))
  }

  @Test func execIDsAreChecked() {
    #expect(ShimDaemon.isValidExecID("abc-1_2.3"))
    #expect(!ShimDaemon.isValidExecID(""))
    #expect(!ShimDaemon.isValidExecID("../x"))
    #expect(!ShimDaemon.isValidExecID(String(repeating: "a", count: 129)))
  }
}
