import Glibc
import LinuxOS

/// An address on an interface.
public struct InterfaceAddress: Sendable, Equatable {
  public var index: Int32
  public var address: Subnet
}

enum IFA {
  static let address: UInt16 = 1
  static let local: UInt16 = 2
  static let flags: UInt16 = 8
  /// IPv6: skip duplicate address detection (the address is usable at once).
  static let noDAD: UInt32 = 0x02
}

extension NetlinkSocket {
  /// Adds `address` (with its prefix) to interface `index`.
  public func addAddress(_ address: Subnet, to index: Int32) throws {
    var request = NetlinkRequest(
      type: RT.newAddr, flags: NLM.ack | NLM.create | NLM.exclusive, family: addressHeader(address, index))
    request.attribute(IFA.local, address.address.bytes)
    request.attribute(IFA.address, address.address.bytes)
    if !address.isV4 { request.attribute(IFA.flags, u32: IFA.noDAD) }
    try perform(request, "\(address) on \(index)")
  }

  public func removeAddress(_ address: Subnet, from index: Int32) throws {
    var request = NetlinkRequest(type: RT.delAddr, flags: NLM.ack, family: addressHeader(address, index))
    request.attribute(IFA.local, address.address.bytes)
    try perform(request, "\(address) on \(index)")
  }

  /// Every address of every interface (both families).
  public func addresses() throws -> [InterfaceAddress] {
    let request = NetlinkRequest(type: RT.getAddr, flags: NLM.dump, family: [0, 0, 0, 0, 0, 0, 0, 0])
    return try dump(request, "addresses").compactMap { message in
      guard message.type == RT.newAddr, message.payload.count >= 8 else { return nil }
      let p = message.payload
      let prefix = Int(p[p.startIndex + 1])
      let index = Int32(bitPattern: Wire.u32(p, p.startIndex + 4))
      let attributes = message.attributes(after: 8)
      guard let raw = attributes[IFA.local] ?? attributes[IFA.address], let ip = IPAddress(bytes: Array(raw)) else {
        return nil
      }
      return InterfaceAddress(index: index, address: Subnet(address: ip, prefix: prefix))
    }
  }

  /// ifaddrmsg: family, prefixlen, flags, scope, index.
  private func addressHeader(_ address: Subnet, _ index: Int32) -> [UInt8] {
    [UInt8(address.isV4 ? AF_INET : AF_INET6), UInt8(address.prefix), 0, 0] + Wire.le32(index)
  }
}
