import Testing

@testable import Shim

/// The embedded resolver's wire format (RFC 1035), byte for byte.
struct DNSMessageTests {
  /// A query for `name`, type `type`, id 0x1234, recursion desired.
  static func query(_ name: String, type: UInt16 = 1) -> [UInt8] {
    var out: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
    for label in name.split(separator: ".") { out += [UInt8(label.utf8.count)] + Array(label.utf8) }
    return out + [0, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
  }

  @Test func readsAStandardQuery() throws {
    let q = try #require(DNSQuery(Self.query("Web.Example")))
    #expect(q.id == 0x1234 && q.recursionDesired && q.name == "web.example" && q.type == 1 && q.qclass == 1)
  }

  @Test func refusesWhatIsNotOneQuestion() {
    var response = Self.query("a")
    response[2] |= 0x80  // QR: an answer, not a query
    #expect(DNSQuery(response) == nil)
    var two = Self.query("a")
    two[5] = 2
    #expect(DNSQuery(two) == nil)
    #expect(DNSQuery(Array(Self.query("abc").prefix(15))) == nil)  // cut in the name
    var pointer = Self.query("a")
    pointer[12] = 0xC0  // a compression pointer in a question
    #expect(DNSQuery(pointer) == nil)
  }

  @Test func answersWithRecordsPointingAtTheQuestion() throws {
    let q = try #require(DNSQuery(Self.query("db")))
    let a = q.answer(addresses: [[10, 0, 0, 2]], ttl: 600)
    let question = Array(Self.query("db")[12...])
    #expect(Array(a[0..<12]) == [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0])
    #expect(Array(a[12..<12 + question.count]) == question)
    #expect(Array(a[(12 + question.count)...]) == [0xC0, 12, 0, 1, 0, 1, 0, 0, 0x02, 0x58, 0, 4, 10, 0, 0, 2])
    let nx = q.answer(addresses: [], rcode: 3)
    #expect(nx[3] == 0x83 && nx[7] == 0)
  }

  @Test func addressText() {
    #expect(IPText.bytes("172.18.0.2") == [172, 18, 0, 2])
    #expect(IPText.bytes("fd00::2") == [0xFD, 0] + [UInt8](repeating: 0, count: 13) + [2])
    #expect(IPText.bytes("::1") == [UInt8](repeating: 0, count: 15) + [1])
    #expect(IPText.bytes("1.2.3") == nil && IPText.bytes("1::2::3") == nil && IPText.bytes("300.1.1.1") == nil)
    #expect(DNSResponder.address("192.0.2.1")?.sin_port == UInt16(53).bigEndian)
    #expect(DNSResponder.address("192.0.2.1:5353")?.sin_port == UInt16(5353).bigEndian)
    #expect(DNSResponder.address("fd00::1") == nil)
  }
}
