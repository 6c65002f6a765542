import EngineClient

/// `network create`'s `--subnet`, `--ip-range` and `--gateway` → `IPAM.Config`, with the
/// docker CLI's pairing rules and messages (each range and gateway goes to the subnet that
/// holds it).
enum IPAMOptions {
  static func config(subnets: [String], ranges: [String], gateways: [String]) throws -> [JSON] {
    if subnets.count < ranges.count || subnets.count < gateways.count {
      throw CommandError.failure("every ip-range or gateway must have a corresponding subnet")
    }
    var parsed: [CIDR] = []
    for subnet in subnets {
      guard let cidr = CIDR(subnet) else {
        throw CommandError.failure("invalid subnet: invalid CIDR address: \(subnet)")
      }
      for other in parsed where cidr.contains(other.address) || other.contains(cidr.address) {
        throw CommandError.failure("multiple overlapping subnet configuration is not supported")
      }
      parsed.append(cidr)
    }
    var rangeOf = [String?](repeating: nil, count: subnets.count)
    var gatewayOf = [String?](repeating: nil, count: subnets.count)
    func place(_ value: String, into slots: inout [String?], kind: String, plural: String) throws {
      let address: [UInt8]?
      if value.contains("/") {
        guard let cidr = CIDR(value) else { throw CommandError.failure("invalid CIDR address: \(value)") }
        address = cidr.address
      } else {
        address = CIDR.bytes(value)
      }
      var matched = false
      for (i, subnet) in parsed.enumerated() where address.map(subnet.contains) ?? false {
        if let existing = slots[i] {
          throw CommandError.failure(
            "cannot configure multiple \(plural) (\(value), \(existing)) \(kind == "range" ? "on" : "for") the same subnet (\(subnets[i]))"
          )
        }
        slots[i] = value
        matched = true
      }
      if !matched { throw CommandError.failure("no matching subnet for \(kind) \(value)") }
    }
    for r in ranges { try place(r, into: &rangeOf, kind: "range", plural: "ranges") }
    for g in gateways { try place(g, into: &gatewayOf, kind: "gateway", plural: "gateways") }
    return subnets.indices.map { i in
      var members = [JSON.Member("Subnet", .string(subnets[i]))]
      if let r = rangeOf[i] { members.append(JSON.Member("IPRange", .string(r))) }
      if let g = gatewayOf[i] { members.append(JSON.Member("Gateway", .string(g))) }
      return .object(members)
    }
  }
}
