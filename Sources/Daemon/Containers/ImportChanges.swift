// `docker import --change`: Dockerfile instructions applied to the imported image's config
// (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL, as dockerd allows).
import EngineAPI
import FoundationEssentials
import OCI

enum ImportChanges {
  static func apply(_ changes: [String]) throws -> ImageConfig.Config? {
    guard !changes.isEmpty else { return nil }
    var c = ImageConfig.Config()
    for change in changes {
      let trimmed = change.drop { $0 == " " || $0 == "\t" }
      let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
      guard let keyword = parts.first?.uppercased() else { continue }
      let rest = parts.count > 1 ? parts[1].trimmingSpaces() : ""
      switch keyword {
      case "CMD": c.cmd = try commandForm(rest)
      case "ENTRYPOINT": c.entrypoint = try commandForm(rest)
      case "ENV":
        var env = c.env ?? []
        for (k, v) in try keyValues(rest, legacySpace: true) {
          env.removeAll { $0.hasPrefix(k + "=") }; env.append("\(k)=\(v)")
        }
        c.env = env
      case "LABEL":
        var labels = c.labels ?? [:]
        for (k, v) in try keyValues(rest, legacySpace: false) { labels[k] = v }
        c.labels = labels
      case "WORKDIR": c.workingDir = rest
      case "USER": c.user = rest
      case "STOPSIGNAL": c.stopSignal = rest
      case "EXPOSE":
        var ports = c.exposedPorts ?? [:]
        for p in rest.split(separator: " ") { ports[p.contains("/") ? String(p) : "\(p)/tcp"] = ImageConfig.Empty() }
        c.exposedPorts = ports
      case "VOLUME":
        var vols = c.volumes ?? [:]
        for v in try listForm(rest) { vols[v] = ImageConfig.Empty() }
        c.volumes = vols
      default:
        throw EngineError.badParameter("\(keyword) is not a valid change command")
      }
    }
    return c
  }

  /// `["a","b"]` (exec form) or `a b` (shell form → /bin/sh -c).
  static func commandForm(_ s: String) throws -> [String] {
    if s.hasPrefix("[") {
      guard let list = try? JSONDecoder().decode([String].self, from: Data(s.utf8)) else {
        throw EngineError.badParameter("invalid JSON array in change: \(s)")
      }
      return list
    }
    return ["/bin/sh", "-c", s]
  }

  static func listForm(_ s: String) throws -> [String] {
    if s.hasPrefix("[") { return try commandForm(s) }
    return s.split(separator: " ").map(String.init)
  }

  /// `k=v k2="v 2"`, or the legacy `ENV k v` form.
  static func keyValues(_ s: String, legacySpace: Bool) throws -> [(String, String)] {
    if legacySpace, let first = s.split(separator: " ", maxSplits: 1).first, !first.contains("=") {
      let parts = s.split(separator: " ", maxSplits: 1).map(String.init)
      return [(parts[0], parts.count > 1 ? parts[1] : "")]
    }
    var out: [(String, String)] = []
    var i = s.startIndex
    while i < s.endIndex {
      while i < s.endIndex && s[i] == " " { i = s.index(after: i) }
      guard i < s.endIndex else { break }
      var key = ""
      while i < s.endIndex && s[i] != "=" && s[i] != " " {
        key.append(s[i])
        i = s.index(after: i)
      }
      guard i < s.endIndex, s[i] == "=" else { throw EngineError.badParameter("expected key=value in change: \(s)") }
      i = s.index(after: i)
      var value = ""
      var quote: Character?
      while i < s.endIndex {
        let ch = s[i]
        if let q = quote {
          if ch == q { quote = nil } else { value.append(ch) }
        } else if ch == "\"" || ch == "'" {
          quote = ch
        } else if ch == " " {
          break
        } else {
          value.append(ch)
        }
        i = s.index(after: i)
      }
      out.append((key, value))
    }
    return out
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first == " " || s.first == "\t" { s.removeFirst() }
    while s.last == " " || s.last == "\t" || s.last == "\n" { s.removeLast() }
    return String(s)
  }
}
