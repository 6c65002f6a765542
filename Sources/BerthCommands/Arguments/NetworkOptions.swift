import EngineAPI

/// `run`/`create`'s network flags mapped as the docker CLI 28 maps them: `--network` (also the
/// advanced `name=…,alias=…,ip=…` form, repeatable), `--network-alias`, `--ip`, `--ip6`,
/// `--mac-address` and `--link` onto `HostConfig.NetworkMode`/`Links` and
/// `NetworkingConfig.EndpointsConfig`.
enum NetworkOptions {
  struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// One `--network` value (opts.NetworkAttachmentOpts).
  struct Attachment {
    var target: String
    var aliases: [String] = []
    var links: [String] = []
    var ipv4: String = ""
    var ipv6: String = ""
    var mac: String = ""
    var linkLocalIPs: [String] = []
    var driverOpts: [String: String] = [:]
  }

  /// The flags the mapping reads.
  struct Flags {
    var networks: [String] = []
    var aliases: [String] = []
    var links: [String] = []
    var ipv4: String = ""
    var ipv6: String = ""
    var mac: String = ""
  }

  /// Parses `--network`: a plain name, or comma-separated `key=value` (name, alias, ip, ip6,
  /// mac-address, link-local-ip, driver-opt).
  static func parseAttachment(_ value: String) throws -> Attachment {
    guard value.contains("=") else { return Attachment(target: value) }
    var attachment = Attachment(target: "")
    for field in value.split(separator: ",") {
      guard let eq = field.firstIndex(of: "=") else { throw Failure("invalid field \(field)") }
      let key = field[..<eq].lowercased()
      let v = String(field[field.index(after: eq)...])
      switch key {
      case "name": attachment.target = v
      case "alias": attachment.aliases.append(v)
      case "ip": attachment.ipv4 = v
      case "ip6": attachment.ipv6 = v
      case "mac-address": attachment.mac = v
      case "link-local-ip": attachment.linkLocalIPs.append(v)
      case "driver-opt":
        let kv = keyValues([v])
        attachment.driverOpts.merge(kv, uniquingKeysWith: { $1 })
      case "gw-priority": break
      default: throw Failure("invalid field key \(key)")
      }
    }
    return attachment
  }

  /// Docker's user-defined test: anything but default, bridge, host, none and container:….
  static func isUserDefined(_ mode: String) -> Bool {
    !["default", "bridge", "host", "none"].contains(mode) && !mode.hasPrefix("container:")
  }

  /// (NetworkMode, Links, EndpointsConfig) for the flags (parseNetworkOpts).
  static func map(_ flags: Flags) throws -> (mode: String, links: [String]?, endpoints: [String: EndpointSettings]) {
    let attachments = try flags.networks.map(parseAttachment)
    var endpoints: [String: EndpointSettings] = [:]
    var hasUserDefined = false
    var hasOther = false
    if attachments.isEmpty {
      var n = Attachment(target: "default")
      try apply(&n, flags)
      endpoints["default"] = try endpoint(n)
    }
    for (i, original) in attachments.enumerated() {
      var n = original
      if isUserDefined(n.target) { hasUserDefined = true } else { hasOther = true }
      // The first network takes the flags of the pre-advanced syntax.
      if i == 0 { try apply(&n, flags) }
      let settings = try endpoint(n)
      if endpoints[n.target] != nil { throw Failure("network \(goQuote(n.target)) is specified multiple times") }
      // A single network without options sends no endpoint (the daemon makes it).
      if i == 0 && attachments.count == 1 && settings == EndpointSettings() { continue }
      endpoints[n.target] = settings
    }
    if hasUserDefined && hasOther {
      throw Failure("conflicting options: cannot attach both user-defined and non-user-defined network-modes")
    }
    let mode = attachments.first?.target ?? "default"
    return (mode, flags.links.isEmpty ? nil : flags.links, endpoints)
  }

  /// applyContainerOptions.
  static func apply(_ n: inout Attachment, _ flags: Flags) throws {
    if !n.aliases.isEmpty && !flags.aliases.isEmpty {
      throw Failure("conflicting options: cannot specify both --network-alias and per-network alias")
    }
    if !n.links.isEmpty && !flags.links.isEmpty {
      throw Failure("conflicting options: cannot specify both --link and per-network links")
    }
    if !n.ipv4.isEmpty && !flags.ipv4.isEmpty {
      throw Failure("conflicting options: cannot specify both --ip and per-network IPv4 address")
    }
    if !n.ipv6.isEmpty && !flags.ipv6.isEmpty {
      throw Failure("conflicting options: cannot specify both --ip6 and per-network IPv6 address")
    }
    if !n.mac.isEmpty && !flags.mac.isEmpty {
      throw Failure("conflicting options: cannot specify both --mac-address and per-network MAC address")
    }
    if !flags.aliases.isEmpty { n.aliases = flags.aliases }
    // On a user-defined network `--link` is an endpoint alias; on the default bridge a legacy link.
    if isUserDefined(n.target) && !flags.links.isEmpty { n.links = flags.links }
    if !flags.ipv4.isEmpty { n.ipv4 = flags.ipv4 }
    if !flags.ipv6.isEmpty { n.ipv6 = flags.ipv6 }
    if !flags.mac.isEmpty { n.mac = flags.mac }
  }

  /// parseNetworkAttachmentOpt.
  static func endpoint(_ n: Attachment) throws -> EndpointSettings {
    if n.target.trimmedSpaces().isEmpty { throw Failure("no name set for network") }
    if !isUserDefined(n.target) {
      if !n.aliases.isEmpty { throw Failure("network-scoped aliases are only supported for user-defined networks") }
      if !n.links.isEmpty { throw Failure("links are only supported for user-defined networks") }
    }
    var settings = EndpointSettings()
    if !n.aliases.isEmpty { settings.aliases = n.aliases }
    if !n.driverOpts.isEmpty { settings.driverOpts = n.driverOpts }
    if !n.links.isEmpty { settings.links = n.links }
    if !n.ipv4.isEmpty || !n.ipv6.isEmpty || !n.linkLocalIPs.isEmpty {
      settings.ipamConfig = EndpointIPAMConfig(
        ipv4Address: n.ipv4.isEmpty ? nil : n.ipv4, ipv6Address: n.ipv6.isEmpty ? nil : n.ipv6,
        linkLocalIPs: n.linkLocalIPs.isEmpty ? nil : n.linkLocalIPs)
    }
    if !n.mac.isEmpty {
      guard IPAddress.isMAC(n.mac.trimmedSpaces()) else { throw Failure("\(n.mac) is not a valid mac address") }
      settings.macAddress = n.mac
    }
    return settings
  }

  /// opts.ValidateExtraHost: `host:ip` or `host=ip` (IPv6 kept whole, `[…]` allowed,
  /// `host-gateway`) → `host:ip`.
  static func extraHost(_ value: String) throws -> String {
    var key = ""
    var ip = ""
    var found = false
    if let eq = value.firstIndex(of: "=") {
      (key, ip, found) = (String(value[..<eq]), String(value[value.index(after: eq)...]), true)
    } else if let colon = value.firstIndex(of: ":") {
      (key, ip, found) = (String(value[..<colon]), String(value[value.index(after: colon)...]), true)
    }
    if !found || key.isEmpty || key.contains(":") {
      throw FlagError(
        description:
          "invalid argument \(goQuote(value)) for \"--add-host\" flag: bad format for add-host: \(goQuote(value))"
      )
    }
    if ip != "host-gateway" {
      if ip.count > 2 && ip.hasPrefix("[") && ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
      if IPAddress.canonical(ip.trimmedSpaces()) == nil {
        throw FlagError(
          description:
            "invalid argument \(goQuote(value)) for \"--add-host\" flag: invalid IP address in add-host: \(goQuote(ip))"
        )
      }
    }
    return key + ":" + ip
  }

  /// opts.ValidateIPAddress for `--dns`: the canonical address.
  static func dnsServer(_ value: String) throws -> String {
    guard let ip = IPAddress.canonical(value.trimmedSpaces()) else {
      throw FlagError(
        description:
          "invalid argument \(goQuote(value)) for \"--dns\" flag: IP address is not correctly formatted: \(value)")
    }
    return ip
  }
}
