import Glibc
import LinuxOS

/// A route of the main table.
public struct RouteInfo: Sendable, Equatable {
  public var destination: Subnet
  public var gateway: IPAddress?
  public var outputIndex: Int32?
}

enum RTA {
  static let dst: UInt16 = 1
  static let oif: UInt16 = 4
  static let gateway: UInt16 = 5
  static let table: UInt16 = 15
}

extension NetlinkSocket {
  /// Adds a route; `destination` nil is the default route of `gateway`'s family.
  public func addRoute(to destination: Subnet? = nil, via gateway: IPAddress?, device index: Int32?) throws {
    let isV4 = destination?.isV4 ?? gateway?.isV4 ?? true
    var request = NetlinkRequest(
      type: RT.newRoute, flags: NLM.ack | NLM.create | NLM.exclusive,
      family: routeHeader(isV4: isV4, prefix: destination?.prefix ?? 0, linkScope: gateway == nil))
    if let destination { request.attribute(RTA.dst, destination.network.bytes) }
    if let gateway { request.attribute(RTA.gateway, gateway.bytes) }
    if let index { request.attribute(RTA.oif, u32: UInt32(bitPattern: index)) }
    try perform(request, "route \(destination?.description ?? "default") via \(gateway?.description ?? "link")")
  }

  /// The main table's routes of both families.
  public func routes() throws -> [RouteInfo] {
    let request = NetlinkRequest(
      type: RT.getRoute, flags: NLM.dump, family: routeHeader(isV4: true, prefix: 0, linkScope: false, family: 0))
    return try dump(request, "routes").compactMap { message in
      guard message.type == RT.newRoute, message.payload.count >= 12 else { return nil }
      let p = message.payload
      let isV4 = p[p.startIndex] == UInt8(AF_INET)
      let attributes = message.attributes(after: 12)
      let table = attributes.u32(RTA.table) ?? UInt32(p[p.startIndex + 4])
      guard table == 254 else { return nil }
      let destination =
        attributes[RTA.dst].flatMap { IPAddress(bytes: Array($0)) }
        ?? IPAddress(isV4: isV4, value: 0)
      return RouteInfo(
        destination: Subnet(address: destination, prefix: Int(p[p.startIndex + 1])),
        gateway: attributes[RTA.gateway].flatMap { IPAddress(bytes: Array($0)) },
        outputIndex: attributes.u32(RTA.oif).map { Int32(bitPattern: $0) })
    }
  }

  /// rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags.
  private func routeHeader(isV4: Bool, prefix: Int, linkScope: Bool, family: UInt8? = nil) -> [UInt8] {
    let family = family ?? UInt8(isV4 ? AF_INET : AF_INET6)
    // main table, RTPROT_STATIC, universe or link scope, unicast
    return [family, UInt8(prefix), 0, 0, 254, 4, linkScope ? 253 : 0, 1] + Wire.le32(UInt32(0))
  }
}
