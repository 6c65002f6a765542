/// rtnetlink wire format: a tiny builder for requests and a parser for replies.
/// Everything is host byte order except where the kernel says otherwise (addresses).
enum RT {
  static let newLink: UInt16 = 16
  static let delLink: UInt16 = 17
  static let getLink: UInt16 = 18
  static let setLink: UInt16 = 19
  static let newAddr: UInt16 = 20
  static let delAddr: UInt16 = 21
  static let getAddr: UInt16 = 22
  static let newRoute: UInt16 = 24
  static let delRoute: UInt16 = 25
  static let getRoute: UInt16 = 26

  static func name(_ type: UInt16) -> String {
    switch type {
    case newLink: "RTM_NEWLINK"
    case delLink: "RTM_DELLINK"
    case getLink: "RTM_GETLINK"
    case setLink: "RTM_SETLINK"
    case newAddr: "RTM_NEWADDR"
    case delAddr: "RTM_DELADDR"
    case getAddr: "RTM_GETADDR"
    case newRoute: "RTM_NEWROUTE"
    case delRoute: "RTM_DELROUTE"
    case getRoute: "RTM_GETROUTE"
    default: "netlink type \(type)"
    }
  }
}

/// nlmsghdr flags.
enum NLM {
  static let request: UInt16 = 0x1
  static let multi: UInt16 = 0x2
  static let ack: UInt16 = 0x4
  static let dump: UInt16 = 0x300
  static let replace: UInt16 = 0x100
  static let exclusive: UInt16 = 0x200
  static let create: UInt16 = 0x400
  static let error: UInt16 = 2
  static let done: UInt16 = 3
}

/// A request being built: the 16-byte header, a fixed family header, then attributes.
struct NetlinkRequest {
  private(set) var bytes: [UInt8]
  let type: UInt16

  init(type: UInt16, flags: UInt16, family header: [UInt8]) {
    self.type = type
    bytes = [UInt8](repeating: 0, count: 16)
    bytes.replaceSubrange(4..<6, with: Wire.le16(type))
    bytes.replaceSubrange(6..<8, with: Wire.le16(flags | NLM.request))
    bytes += header
    pad()
  }

  mutating func attribute(_ type: UInt16, _ payload: [UInt8]) {
    bytes += Wire.le16(UInt16(4 + payload.count))
    bytes += Wire.le16(type)
    bytes += payload
    pad()
  }

  mutating func attribute(_ type: UInt16, string: String) {
    attribute(type, Array(string.utf8) + [0])
  }

  mutating func attribute(_ type: UInt16, u32: UInt32) {
    attribute(type, Wire.le32(u32))
  }

  /// A nested attribute: `body` appends the children (and may append raw bytes, e.g. a
  /// peer's ifinfomsg).
  mutating func nested(_ type: UInt16, _ body: (inout NetlinkRequest) -> Void) {
    let start = bytes.count
    bytes += [0, 0] + Wire.le16(type | 0x8000)
    body(&self)
    bytes.replaceSubrange(start..<start + 2, with: Wire.le16(UInt16(bytes.count - start)))
  }

  mutating func raw(_ payload: [UInt8]) {
    bytes += payload
    pad()
  }

  /// The finished message with its length and sequence number filled in.
  func finished(sequence: UInt32) -> [UInt8] {
    var out = bytes
    out.replaceSubrange(0..<4, with: Wire.le32(UInt32(out.count)))
    out.replaceSubrange(8..<12, with: Wire.le32(sequence))
    return out
  }

  private mutating func pad() {
    while bytes.count % 4 != 0 { bytes.append(0) }
  }
}

/// One message of a reply.
struct NetlinkMessage {
  let type: UInt16
  let flags: UInt16
  let sequence: UInt32
  /// After the 16-byte header.
  let payload: ArraySlice<UInt8>

  /// Splits a datagram into its messages.
  static func split(_ datagram: ArraySlice<UInt8>) -> [NetlinkMessage] {
    var out: [NetlinkMessage] = []
    var offset = datagram.startIndex
    while datagram.endIndex - offset >= 16 {
      let length = Int(Wire.u32(datagram, offset))
      guard length >= 16, offset + length <= datagram.endIndex else { break }
      out.append(
        NetlinkMessage(
          type: Wire.u16(datagram, offset + 4), flags: Wire.u16(datagram, offset + 6),
          sequence: Wire.u32(datagram, offset + 8), payload: datagram[(offset + 16)..<(offset + length)]))
      offset += (length + 3) & ~3
    }
    return out
  }

  /// The attributes after a family header of `headerSize` bytes.
  func attributes(after headerSize: Int) -> NetlinkAttributes {
    NetlinkAttributes(payload.dropFirst(headerSize))
  }
}

/// A parsed attribute list: type → payload (the nested flag stripped).
struct NetlinkAttributes {
  private(set) var entries: [(type: UInt16, value: ArraySlice<UInt8>)] = []

  init(_ bytes: ArraySlice<UInt8>) {
    var offset = bytes.startIndex
    while bytes.endIndex - offset >= 4 {
      let length = Int(Wire.u16(bytes, offset))
      guard length >= 4, offset + length <= bytes.endIndex else { break }
      entries.append((Wire.u16(bytes, offset + 2) & 0x3fff, bytes[(offset + 4)..<(offset + length)]))
      offset += (length + 3) & ~3
    }
  }

  subscript(_ type: UInt16) -> ArraySlice<UInt8>? {
    entries.first { $0.type == type }?.value
  }

  func string(_ type: UInt16) -> String? {
    guard let value = self[type] else { return nil }
    return String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
  }

  func u32(_ type: UInt16) -> UInt32? {
    guard let value = self[type], value.count >= 4 else { return nil }
    return Wire.u32(value, value.startIndex)
  }
}

/// Little-endian (host order on every Linux Swift runs on here) integer bytes.
enum Wire {
  static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
  static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
  static func le32(_ v: Int32) -> [UInt8] { le32(UInt32(bitPattern: v)) }

  static func u16(_ b: ArraySlice<UInt8>, _ at: Int) -> UInt16 {
    UInt16(b[at]) | UInt16(b[at + 1]) << 8
  }

  static func u32(_ b: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
    UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
  }
}
