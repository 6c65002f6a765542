import Foundation
import Testing

@testable import JSONCoding
@testable import OCI

struct JSONCodingTests {
  /// A config as runc and Docker write it: every kind of field the runtime reads.
  static let config = """
    {"ociVersion":"1.0.2-dev","process":{"terminal":false,"user":{"uid":0,"gid":0,"additionalGids":[10,20]},
    "args":["sh","-c","echo \\"hi\\" \\\\ \\u00e9\\ud83d\\ude00"],"env":["PATH=/bin"],"cwd":"/",
    "capabilities":{"bounding":["CAP_KILL"]},"rlimits":[{"type":"RLIMIT_NOFILE","hard":18446744073709551615,"soft":1024}],
    "noNewPrivileges":true,"oomScoreAdj":-999},"root":{"path":"rootfs","readonly":true},
    "mounts":[{"destination":"/proc","type":"proc","source":"proc","options":[]}],
    "linux":{"resources":{"memory":{"limit":67108864,"swap":-1},"cpu":{"quota":-1,"period":100000}},
    "namespaces":[{"type":"pid"},{"type":"network","path":"/proc/1/ns/net"}],"sysctl":{"a.b":"1","c.d":"2"},
    "seccomp":{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}},
    "annotations":{"k":"v"},"unknown":{"nested":[1,2,{"x":null}]}}
    """

  @Test func decodesLikeFoundation() throws {
    let ours = try JSON.decode(Spec.self, from: Array(Self.config.utf8))
    let theirs = try JSONDecoder().decode(Spec.self, from: Data(Self.config.utf8))
    #expect(ours == theirs)
    #expect(ours.process?.rlimits?.first?.hard == UInt64.max)
    #expect(ours.process?.args?.last == "echo \"hi\" \\ é😀")
    #expect(ours.linux?.resources?.memory?.swap == -1)
  }

  @Test func encodesWhatFoundationDecodesBack() throws {
    let spec = try JSON.decode(Spec.self, from: Array(Self.config.utf8))
    for options in [JSON.Options(), JSON.Options(pretty: true, sortedKeys: true)] {
      let bytes = try JSON.encode(spec, options: options)
      #expect(try JSONDecoder().decode(Spec.self, from: Data(bytes)) == spec)
      #expect(try JSON.decode(Spec.self, from: bytes) == spec)
    }
  }

  @Test func omitsNilOptionalsAndPrettyPrintsLikeGo() throws {
    let state = ContainerState(
      ociVersion: "1.0.2", id: "c", pid: 1, status: "running", bundle: "/b", rootfs: "/b/r", created: "t")
    let text = String(decoding: try JSON.encode(state, options: .init(pretty: true, sortedKeys: true)), as: UTF8.self)
    #expect(!text.contains("annotations"))
    #expect(text.hasPrefix("{\n  \"bundle\": \"/b\",\n  \"created\": \"t\","))
  }

  @Test func rejectsMalformedText() {
    for bad in [
      "", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"\\x\"", "01", "1.", "tru", "\"a\nb\"", "\"\\ud800\"", "[] x",
    ] {
      #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSON.parse(Array(bad.utf8)) }
    }
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    #expect(throws: JSONSyntaxError.self) { try JSON.parse(Array(deep.utf8)) }
  }

  @Test func typeErrorsSayWhere() {
    do {
      _ = try JSON.decode(
        Spec.self, from: Array(#"{"ociVersion":"1","process":{"cwd":"/","user":{"uid":"x","gid":0}}}"#.utf8))
      Issue.record("decoded a string as uid")
    } catch {
      #expect(JSON.describe(error) == "expected a number but found a string at process.user.uid")
    }
    do {
      _ = try JSON.decode(Spec.self, from: Array(#"{"ociVersion":"1","process":{"user":{"uid":0,"gid":0}}}"#.utf8))
      Issue.record("decoded without cwd")
    } catch {
      #expect(JSON.describe(error) == "required member \"cwd\" is missing at process")
    }
    #expect(throws: DecodingError.self) { try JSON.decode(UInt32.self, from: Array("-1".utf8)) }
    #expect(throws: DecodingError.self) { try JSON.decode(Int32.self, from: Array("4294967296".utf8)) }
  }

  @Test func numbersAndEscapesRoundTrip() throws {
    #expect(try JSON.decode([Int64].self, from: Array("[-9223372036854775808, 1e3, 0]".utf8)) == [Int64.min, 1000, 0])
    #expect(try JSON.decode(Double.self, from: Array("1.5e-3".utf8)) == 0.0015)
    let text = "tab\tnl\nquote\"ctl\u{1}é"
    let bytes = try JSON.encode([text])
    #expect(String(decoding: bytes, as: UTF8.self) == #"["tab\tnl\nquote\"ctl\u0001é"]"#)
    #expect(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String] == [text])
    #expect(try JSON.decode([String: [UInt8]].self, from: Array(#"{"a":[1,2],"a":[3]}"#.utf8)) == ["a": [3]])
  }
}
