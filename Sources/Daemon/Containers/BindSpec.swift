// `-v` / HostConfig.Binds entries: "/host:/ctr[:opts]", "volume:/ctr[:opts]", "/ctr".

struct BindSpec: Equatable {
  enum Source: Equatable {
    case hostPath(String)
    case namedVolume(String)
    /// `-v /data`: a new anonymous volume.
    case anonymous
  }
  var source: Source
  var destination: String
  var readOnly = false
  /// Bind propagation; Docker's default is rprivate.
  var propagation = "rprivate"
  var noCopy = false

  static let propagations: Set<String> = ["shared", "rshared", "slave", "rslave", "private", "rprivate"]

  init(parsing spec: String) throws {
    func invalid(_ why: String = "") -> DaemonError {
      DaemonError.invalid("invalid volume specification: '\(spec)'" + (why.isEmpty ? "" : ": " + why))
    }
    let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard !spec.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { throw invalid() }
    var mode = ""
    switch parts.count {
    case 1:
      source = .anonymous
      destination = parts[0]
    case 2:
      // "/a:/b" or "/b:ro"
      if Self.isMode(parts[1]) && parts[0].hasPrefix("/") && !parts[1].hasPrefix("/") {
        source = .anonymous
        destination = parts[0]
        mode = parts[1]
      } else {
        source = parts[0].hasPrefix("/") ? .hostPath(parts[0]) : .namedVolume(parts[0])
        destination = parts[1]
      }
    case 3:
      source = parts[0].hasPrefix("/") ? .hostPath(parts[0]) : .namedVolume(parts[0])
      destination = parts[1]
      mode = parts[2]
    default:
      throw invalid()
    }
    if case .namedVolume(let name) = source, !Self.isVolumeName(name) {
      throw invalid(
        "\"\(name)\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. "
          + "If you intended to pass a host directory, use absolute path")
    }
    guard destination.hasPrefix("/") else {
      throw invalid(
        "invalid mount config for type \"bind\": invalid mount path: '\(destination)' mount path must be absolute")
    }
    guard SpecBuilder.cleanPath(destination) != "/" else {
      throw DaemonError.invalid("invalid specification: destination can't be '/'")
    }
    destination = SpecBuilder.cleanPath(destination)
    if case .hostPath(let p) = source { source = .hostPath(SpecBuilder.cleanPath(p)) }
    if !mode.isEmpty {
      var seenRW = false
      var seenPropagation = false
      for m in mode.split(separator: ",").map(String.init) {
        switch m {
        case "ro", "rw":
          if seenRW { throw DaemonError.invalid("invalid mode: \(mode)") }
          seenRW = true
          readOnly = m == "ro"
        case "z", "Z": continue  // SELinux relabel: nothing to do without SELinux
        case "nocopy": noCopy = true
        default:
          guard Self.propagations.contains(m), !seenPropagation else {
            throw DaemonError.invalid("invalid mode: \(mode)")
          }
          seenPropagation = true
          propagation = m
        }
      }
    }
  }

  static func isMode(_ s: String) -> Bool {
    s.split(separator: ",").allSatisfy {
      ["ro", "rw", "z", "Z", "nocopy"].contains(String($0)) || propagations.contains(String($0))
    }
  }

  static func isVolumeName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, name.count >= 2 else { return false }
    func alnum(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)) }
    return alnum(first) && name.unicodeScalars.dropFirst().allSatisfy { alnum($0) || "_.-".unicodeScalars.contains($0) }
  }
}
