import EngineClient

/// `docker ps` columns computed from a `GET /containers/json` item.
enum ContainerRows {
  static let defaultTable =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"
  static let headers: [String: String] = [
    "ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
    "RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE", "Status": "STATUS", "Size": "SIZE",
    "Names": "NAMES", "Labels": "LABELS", "Mounts": "MOUNTS", "LocalVolumes": "LOCAL VOLUMES",
    "Networks": "NETWORKS",
  ]

  static func row(_ c: JSON, truncate: Bool, now: Double = Clock.now()) -> JSON {
    let id = c["Id"]?.stringValue ?? ""
    let image = imageColumn(c["Image"]?.stringValue ?? "", imageID: c["ImageID"]?.stringValue ?? "", truncate: truncate)
    var command = c["Command"]?.stringValue ?? ""
    if truncate { command = Shorten.ellipsis(command, 20) }
    let created = c["Created"]?.doubleValue ?? 0
    var names = (c["Names"]?.stringArray ?? []).map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
    if truncate, let plain = names.first(where: { !$0.contains("/") }) { names = [plain] }
    let labels = (c["Labels"]?.objectValue ?? []).map { "\($0.key)=\($0.value.stringValue ?? "")" }.sorted()
    let mounts = (c["Mounts"]?.arrayValue ?? [])
    let mountNames = mounts.map { m -> String in
      let name = m["Name"]?.stringValue ?? ""
      let n = name.isEmpty ? (m["Source"]?.stringValue ?? "") : name
      return truncate ? Shorten.ellipsis(n, 15) : n
    }
    let localVolumes = mounts.filter { $0["Driver"]?.stringValue == "local" }.count
    let networks = (c["NetworkSettings"]?["Networks"]?.objectValue ?? []).map(\.key).sorted()
    var size = "0B"
    if let rw = c["SizeRw"]?.doubleValue {
      size = Units.humanSize(rw, precision: 3)
      if let root = c["SizeRootFs"]?.doubleValue, root > 0 {
        size += " (virtual \(Units.humanSize(root, precision: 3)))"
      }
    }
    return .object([
      .init("Command", .string(goQuote(command))),
      .init("CreatedAt", .string(Clock.goTimeString(created))),
      .init("ID", .string(truncate ? Shorten.id(id) : id)),
      .init("Image", .string(image)),
      .init("Labels", .string(labels.joined(separator: ","))),
      .init("LocalVolumes", .string(String(localVolumes))),
      .init("Mounts", .string(mountNames.joined(separator: ","))),
      .init("Names", .string(names.joined(separator: ","))),
      .init("Networks", .string(networks.joined(separator: ","))),
      .init("Platform", .null),
      .init("Ports", .string(ports(c["Ports"]?.arrayValue ?? []))),
      .init("RunningFor", .string(Clock.ago(created, now: now))),
      .init("Size", .string(size)),
      .init("State", .string(c["State"]?.stringValue ?? "")),
      .init("Status", .string(c["Status"]?.stringValue ?? "")),
    ])
  }

  /// docker's `ContainerContext.Image`: the short id when the image was given by id, the
  /// reference without its digest otherwise.
  static func imageColumn(_ image: String, imageID: String, truncate: Bool) -> String {
    if image.isEmpty { return "<no image>" }
    guard truncate else { return image }
    if !imageID.isEmpty, Shorten.id(imageID) == Shorten.id(image) { return Shorten.id(image) }
    if let at = image.firstIndex(of: "@") { return String(image[..<at]) }
    return image
  }

  /// docker's `DisplayablePorts`: ranges grouped, host mappings last.
  static func ports(_ ports: [JSON]) -> String {
    struct P {
      var ip: String
      var priv: Int
      var pub: Int
      var type: String
    }
    let items = ports.map {
      P(
        ip: $0["IP"]?.stringValue ?? "", priv: $0["PrivatePort"]?.intValue ?? 0, pub: $0["PublicPort"]?.intValue ?? 0,
        type: $0["Type"]?.stringValue ?? "tcp")
    }.sorted { a, b in
      if a.priv != b.priv { return a.priv < b.priv }
      if a.ip != b.ip { return a.ip < b.ip }
      if a.pub != b.pub { return a.pub < b.pub }
      return a.type < b.type
    }
    var groups: [String: (first: Int, last: Int)] = [:]
    var keys: [String] = []
    var result: [String] = []
    var hostMappings: [String] = []
    func form(_ key: String, _ first: Int, _ last: Int) -> String {
      let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      var ip = ""
      var type = parts[0]
      if parts.count > 1 {
        ip = parts[0]
        type = parts[1]
      }
      var group = String(first)
      if first != last { group += "-\(last)" }
      if !ip.isEmpty { group = "\(ip):\(group)->\(group)" }
      return group + "/" + type
    }
    for p in items {
      var key = p.type
      if !p.ip.isEmpty {
        if p.pub != p.priv {
          let host = p.ip.contains(":") ? "[\(p.ip)]" : p.ip
          hostMappings.append("\(host):\(p.pub)->\(p.priv)/\(p.type)")
          continue
        }
        key = "\(p.ip)/\(p.type)"
      }
      guard let g = groups[key] else {
        groups[key] = (p.priv, p.priv)
        keys.append(key)
        continue
      }
      if p.priv == g.last + 1 {
        groups[key] = (g.first, p.priv)
        continue
      }
      result.append(form(key, g.first, g.last))
      groups[key] = (p.priv, p.priv)
    }
    for key in keys {
      if let g = groups[key] { result.append(form(key, g.first, g.last)) }
    }
    return (result + hostMappings).joined(separator: ", ")
  }
}
