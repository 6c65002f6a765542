import EngineAPI

/// docker's port specs (go-connections' nat package): `-p [ip:][hostPort:]containerPort[/proto]`,
/// the long form `target=80,published=8080,protocol=udp`, and `--expose port[-end][/proto]`,
/// with docker's error texts.
enum PortSpec {
  struct Failure: Error, Equatable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// One container port and the host binding `-p` asked for it.
  struct Mapping: Equatable {
    var port: String
    var binding: PortBinding
  }

  /// `-p` values → ExposedPorts and PortBindings, bindings in the order given (ParsePortSpecs).
  static func parsePublish(_ specs: [String]) throws -> (exposed: [String], bindings: [(String, [PortBinding])]) {
    var exposed: [String] = []
    var bindings: [(String, [PortBinding])] = []
    for spec in specs {
      for mapping in try parse(try standardNotation(spec)) {
        if !exposed.contains(mapping.port) { exposed.append(mapping.port) }
        if let i = bindings.firstIndex(where: { $0.0 == mapping.port }) {
          bindings[i].1.append(mapping.binding)
        } else {
          bindings.append((mapping.port, [mapping.binding]))
        }
      }
    }
    return (exposed, bindings)
  }

  /// The long syntax (`published=8080,target=80,protocol=udp`) as `8080:80/udp`.
  static func standardNotation(_ spec: String) throws -> String {
    guard spec.contains("=") else { return spec }
    var params = ["protocol": "tcp"]
    for param in spec.split(separator: ",", omittingEmptySubsequences: false) {
      guard let eq = param.firstIndex(of: "="), eq != param.startIndex else {
        throw Failure("invalid publish opts format (should be name=value but got '\(param)')")
      }
      params[String(param[..<eq])] = String(param[param.index(after: eq)...])
    }
    return "\(params["published"] ?? ""):\(params["target"] ?? "")/\(params["protocol"] ?? "tcp")"
  }

  /// ParsePortSpec: one spec → one mapping per container port.
  static func parse(_ raw: String) throws -> [Mapping] {
    var (ip, hostPort, containerPart) = splitParts(raw)
    var (proto, containerPort) = splitProtoPort(containerPart)
    if ip.hasPrefix("[") {
      guard ip.hasSuffix("]"), ip.count >= 2 else {
        throw Failure("invalid IP address \(ip): address \(ip):: missing ']' in address")
      }
      ip = String(ip.dropFirst().dropLast())
    }
    if !ip.isEmpty && IPAddress.canonical(ip) == nil { throw Failure("invalid IP address: \(ip)") }
    if containerPort.isEmpty { throw Failure("no port specified: \(raw)<empty>") }
    guard let (start, end) = try? parseRange(containerPort) else {
      throw Failure("invalid containerPort: \(containerPort)")
    }
    var hostStart = 0
    var hostEnd = 0
    if !hostPort.isEmpty {
      guard let (s, e) = try? parseRange(hostPort) else { throw Failure("invalid hostPort: \(hostPort)") }
      (hostStart, hostEnd) = (s, e)
      if end - start != hostEnd - hostStart && end != start {
        throw Failure("invalid ranges specified for container and host Ports: \(containerPort) and \(hostPort)")
      }
    }
    proto = proto.lowercased()
    guard ["tcp", "udp", "sctp"].contains(proto) else { throw Failure("invalid proto: \(proto)") }
    let count = end - start + 1
    return (0..<count).map { i in
      var host = ""
      if !hostPort.isEmpty {
        host = String(hostStart + i)
        // One container port with a host range: the range is where the daemon picks from.
        if count == 1 && hostStart != hostEnd { host += "-\(hostEnd)" }
      }
      return Mapping(port: "\(start + i)/\(proto)", binding: PortBinding(hostIp: ip, hostPort: host))
    }
  }

  /// `--expose` values → ports (`80/tcp`), docker's errors.
  static func parseExpose(_ spec: String) throws -> [String] {
    if spec.contains(":") { throw Failure("invalid port format for --expose: \(spec)") }
    let (proto, port) = splitProtoPort(spec)
    let range: (Int, Int)
    do {
      range = try parseRange(port)
    } catch let error as Failure {
      throw Failure("invalid range format for --expose: \(spec), error: \(error.description)")
    }
    return (range.0...range.1).map { "\($0)/\(proto)" }
  }

  /// splitParts: `ip:host:container`, where the IP may itself hold colons.
  static func splitParts(_ raw: String) -> (String, String, String) {
    let parts = raw.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    switch parts.count {
    case 1: return ("", "", parts[0])
    case 2: return ("", parts[0], parts[1])
    case 3: return (parts[0], parts[1], parts[2])
    default:
      let n = parts.count
      return (parts[..<(n - 2)].joined(separator: ":"), parts[n - 2], parts[n - 1])
    }
  }

  /// SplitProtoPort: "80/udp" → ("udp", "80"); no or empty proto → tcp.
  static func splitProtoPort(_ raw: String) -> (String, String) {
    let parts = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if raw.isEmpty || parts[0].isEmpty { return ("", "") }
    if parts.count == 1 { return ("tcp", raw) }
    if parts[1].isEmpty { return ("tcp", parts[0]) }
    return (parts[1], parts[0])
  }

  /// ParsePortRange: "80" or "8000-8100", each a uint16; Go's strconv errors.
  static func parseRange(_ ports: String) throws -> (Int, Int) {
    if ports.isEmpty { throw Failure("empty string specified for ports") }
    guard ports.contains("-") else {
      let p = try parseUint16(ports)
      return (p, p)
    }
    let parts = ports.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    let start = try parseUint16(parts[0])
    let end = try parseUint16(parts[1])
    if end < start { throw Failure("invalid range specified for port: \(ports)") }
    return (start, end)
  }

  static func parseUint16(_ text: String) throws -> Int {
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw Failure("strconv.ParseUint: parsing \(goQuote(text)): invalid syntax")
    }
    guard let value = Int(text), value <= 65535 else {
      throw Failure("strconv.ParseUint: parsing \(goQuote(text)): value out of range")
    }
    return value
  }
}
