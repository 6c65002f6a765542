// Just enough of the DNS wire format (RFC 1035) for the embedded resolver: read a query's
// header and question, and answer it with A/AAAA records or an error code.

/// A query as the resolver needs it.
public struct DNSQuery: Equatable, Sendable {
  public var id: UInt16
  /// Recursion desired, copied into the answer.
  public var recursionDesired: Bool
  /// Lowercased, without the trailing dot.
  public var name: String
  public var type: UInt16
  public var qclass: UInt16
  /// The question section as it came (copied into the answer).
  var questionBytes: ArraySlice<UInt8>

  public static let typeA: UInt16 = 1
  public static let typeAAAA: UInt16 = 28
  public static let classIN: UInt16 = 1

  /// nil for anything that is not a standard query with exactly one question.
  public init?(_ bytes: [UInt8]) {
    guard bytes.count >= 12 else { return nil }
    let flags = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    let isResponse = flags & 0x8000 != 0
    let opcode = (flags >> 11) & 0xF
    let questions = UInt16(bytes[4]) << 8 | UInt16(bytes[5])
    guard !isResponse, opcode == 0, questions == 1 else { return nil }
    id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    recursionDesired = flags & 0x0100 != 0
    var offset = 12
    var labels: [String] = []
    while true {
      guard offset < bytes.count else { return nil }
      let length = Int(bytes[offset])
      offset += 1
      if length == 0 { break }
      // A question names its domain in full: compression pointers (0xC0) have nothing to point at.
      guard length < 64, offset + length <= bytes.count else { return nil }
      labels.append(String(decoding: bytes[offset..<offset + length], as: UTF8.self).lowercased())
      offset += length
    }
    guard offset + 4 <= bytes.count else { return nil }
    type = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    qclass = UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
    name = labels.joined(separator: ".")
    questionBytes = bytes[12..<offset + 4]
  }

  /// An answer: `addresses` are 4-byte (A) or 16-byte (AAAA) records of the asked name.
  /// `rcode`: 0 no error, 2 server failure, 3 no such name, 5 refused.
  public func answer(addresses: [[UInt8]], rcode: UInt8 = 0, ttl: UInt32 = 600) -> [UInt8] {
    var out: [UInt8] = []
    out += [UInt8(id >> 8), UInt8(id & 0xFF)]
    // QR, RD as asked, RA (the resolver recurses by forwarding); rcode.
    out += [0x80 | (recursionDesired ? 0x01 : 0), 0x80 | (rcode & 0x0F)]
    out += [0, 1, UInt8(addresses.count >> 8), UInt8(addresses.count & 0xFF), 0, 0, 0, 0]
    out += questionBytes
    for address in addresses {
      let recordType: UInt16 = address.count == 4 ? Self.typeA : Self.typeAAAA
      out += [0xC0, 12]  // the name: a pointer to the question's
      out += [UInt8(recordType >> 8), UInt8(recordType & 0xFF), 0, UInt8(Self.classIN)]
      out += [UInt8(ttl >> 24), UInt8((ttl >> 16) & 0xFF), UInt8((ttl >> 8) & 0xFF), UInt8(ttl & 0xFF)]
      out += [0, UInt8(address.count)] + address
    }
    return out
  }
}

/// What berthd writes for a container's resolver (`<execRoot>/network/dns/<id>.json`):
/// the names of its peers on its user networks, and where other names go.
public struct DNSTable: Codable, Equatable, Sendable {
  /// Lowercased name → its addresses ("10.89.0.2", "fd00::2").
  public var names: [String: [String]]
  /// Upstream resolvers ("192.0.2.1" or "192.0.2.1:53"), tried in turn.
  public var upstreams: [String]

  public init(names: [String: [String]] = [:], upstreams: [String] = []) {
    self.names = names
    self.upstreams = upstreams
  }
}

/// Dotted IPv4 and RFC 4291 IPv6 text to bytes (nil for anything else).
enum IPText {
  static func bytes(_ text: String) -> [UInt8]? {
    if text.contains(":") { return v6(text) }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var out: [UInt8] = []
    for p in parts {
      guard let v = UInt8(p) else { return nil }
      out.append(v)
    }
    return out
  }

  private static func v6(_ text: String) -> [UInt8]? {
    let halves = text.components(separatedBy: "::")
    guard halves.count <= 2 else { return nil }
    func groups(_ s: String) -> [UInt16]? {
      if s.isEmpty { return [] }
      var out: [UInt16] = []
      for g in s.split(separator: ":", omittingEmptySubsequences: false) {
        guard let v = UInt16(g, radix: 16), g.count <= 4 else { return nil }
        out.append(v)
      }
      return out
    }
    guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return nil }
    let missing = 8 - head.count - tail.count
    guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
    let all = head + [UInt16](repeating: 0, count: halves.count == 2 ? missing : 0) + tail
    return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
  }
}

extension String {
  fileprivate func components(separatedBy separator: String) -> [String] {
    var out: [String] = []
    var rest = Substring(self)
    while let range = rest.firstRange(of: separator) {
      out.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    out.append(String(rest))
    return out
  }
}
