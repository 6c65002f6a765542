import Glibc
import LinuxOS

/// A network interface as rtnetlink reports it.
public struct LinkInfo: Sendable, Equatable {
  public var index: Int32
  public var name: String
  /// "bridge", "veth", … (nil for devices without IFLA_INFO_KIND, such as lo).
  public var kind: String?
  public var master: Int32?
  public var mac: MACAddress?
  public var mtu: UInt32
  public var isUp: Bool
}

enum IFLA {
  static let address: UInt16 = 1
  static let ifname: UInt16 = 3
  static let mtu: UInt16 = 4
  static let master: UInt16 = 10
  static let linkinfo: UInt16 = 18
  static let netnsFD: UInt16 = 28
  static let protinfo: UInt16 = 12
  static let brportMode: UInt16 = 4
  static let infoKind: UInt16 = 1
  static let infoData: UInt16 = 2
  static let vethPeer: UInt16 = 1
}

/// ifinfomsg: family, pad, type, index, flags, change (16 bytes).
func interfaceHeader(index: Int32 = 0, up: Bool? = nil) -> [UInt8] {
  let flags: UInt32 = up == true ? 1 : 0
  let change: UInt32 = up == nil ? 0 : 1
  return [0, 0, 0, 0] + Wire.le32(index) + Wire.le32(flags) + Wire.le32(change)
}

/// What a new link gets at creation (each field optional).
public struct LinkSettings: Sendable {
  public var mtu: UInt32?
  public var mac: MACAddress?
  public var master: Int32?
  public var up = false
  /// An open fd of the network namespace to create the device in.
  public var netnsFD: Int32?

  public init(mtu: UInt32? = nil, mac: MACAddress? = nil, master: Int32? = nil, up: Bool = false, netnsFD: Int32? = nil)
  {
    self.mtu = mtu
    self.mac = mac
    self.master = master
    self.up = up
    self.netnsFD = netnsFD
  }

  func append(to request: inout NetlinkRequest) {
    if let mtu { request.attribute(IFLA.mtu, u32: mtu) }
    if let mac { request.attribute(IFLA.address, mac.bytes) }
    if let master { request.attribute(IFLA.master, u32: UInt32(bitPattern: master)) }
    if let netnsFD { request.attribute(IFLA.netnsFD, u32: UInt32(bitPattern: netnsFD)) }
  }
}

extension NetlinkSocket {
  public func createBridge(_ name: String, _ settings: LinkSettings = LinkSettings()) throws {
    var request = NetlinkRequest(
      type: RT.newLink, flags: NLM.ack | NLM.create | NLM.exclusive, family: interfaceHeader(up: settings.up))
    request.attribute(IFLA.ifname, string: name)
    settings.append(to: &request)
    request.nested(IFLA.linkinfo) { $0.attribute(IFLA.infoKind, string: "bridge") }
    try perform(request, "bridge \(name)")
  }

  /// One message makes both ends: `peer` may name another namespace (its netnsFD), where
  /// the peer is created directly under its final name (e.g. eth0), so it never appears
  /// in this namespace under a temporary one. Neither end can be brought up in this
  /// message (the kernel opens a veth before it knows its peer: ENOTCONN): `up` is ignored.
  public func createVeth(_ name: String, _ settings: LinkSettings, peer peerName: String, _ peer: LinkSettings) throws {
    var request = NetlinkRequest(
      type: RT.newLink, flags: NLM.ack | NLM.create | NLM.exclusive, family: interfaceHeader())
    request.attribute(IFLA.ifname, string: name)
    settings.append(to: &request)
    request.nested(IFLA.linkinfo) { info in
      info.attribute(IFLA.infoKind, string: "veth")
      info.nested(IFLA.infoData) { data in
        data.nested(IFLA.vethPeer) { p in
          p.raw(interfaceHeader())
          p.attribute(IFLA.ifname, string: peerName)
          peer.append(to: &p)
        }
      }
    }
    try perform(request, "veth \(name)/\(peerName)")
  }

  public func setLink(_ index: Int32, up: Bool? = nil, mtu: UInt32? = nil, mac: MACAddress? = nil, master: Int32? = nil)
    throws
  {
    var request = NetlinkRequest(type: RT.newLink, flags: NLM.ack, family: interfaceHeader(index: index, up: up))
    LinkSettings(mtu: mtu, mac: mac, master: master).append(to: &request)
    try perform(request, "link \(index)")
  }

  /// Hairpin mode on a bridge port: with br_netfilter, a container's packet DNATed back to
  /// itself (its own published port through the host) is bridged out the port it came in.
  public func setHairpin(_ index: Int32, _ on: Bool = true) throws {
    let bridgeFamily: UInt8 = 7
    var header = interfaceHeader(index: index)
    header[0] = bridgeFamily
    var request = NetlinkRequest(type: RT.setLink, flags: NLM.ack, family: header)
    request.nested(IFLA.protinfo) { $0.attribute(IFLA.brportMode, [on ? 1 : 0]) }
    try perform(request, "hairpin on \(index)")
  }

  public func deleteLink(_ index: Int32) throws {
    try perform(
      NetlinkRequest(type: RT.delLink, flags: NLM.ack, family: interfaceHeader(index: index)), "link \(index)")
  }

  /// The link named `name`, or nil when there is none.
  public func link(named name: String) throws -> LinkInfo? {
    var request = NetlinkRequest(type: RT.getLink, flags: NLM.ack, family: interfaceHeader())
    request.attribute(IFLA.ifname, string: name)
    do {
      return try dump(request, name).compactMap(Self.parseLink).first
    } catch let error as SystemError where error.errno == ENODEV {
      return nil
    }
  }

  public func links() throws -> [LinkInfo] {
    try dump(NetlinkRequest(type: RT.getLink, flags: NLM.dump, family: interfaceHeader()), "links")
      .compactMap(Self.parseLink)
  }

  static func parseLink(_ message: NetlinkMessage) -> LinkInfo? {
    guard message.type == RT.newLink, message.payload.count >= 16 else { return nil }
    let p = message.payload
    let index = Int32(bitPattern: Wire.u32(p, p.startIndex + 4))
    let flags = Wire.u32(p, p.startIndex + 8)
    let attributes = message.attributes(after: 16)
    let kind = attributes[IFLA.linkinfo].flatMap { NetlinkAttributes($0).string(IFLA.infoKind) }
    return LinkInfo(
      index: index, name: attributes.string(IFLA.ifname) ?? "", kind: kind,
      master: attributes.u32(IFLA.master).map { Int32(bitPattern: $0) },
      mac: attributes[IFLA.address].flatMap { MACAddress(bytes: Array($0)) },
      mtu: attributes.u32(IFLA.mtu) ?? 0, isUp: flags & 1 != 0)
  }
}
