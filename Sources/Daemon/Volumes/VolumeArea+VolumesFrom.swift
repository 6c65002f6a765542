// `--volumes-from CONTAINER[:ro|:rw]`: the other container's volumes and binds, at the same
// destinations, resolved at create as dockerd does (a missing container is a 404 then).
// They become binds of the new container: its anonymous volumes stay the other's to remove.
extension VolumeArea {
  func bindsFrom(_ sources: [String]) throws -> [String] {
    var binds: [String] = []
    for spec in sources {
      var ref = spec
      var forcedMode: String?
      if let colon = spec.lastIndex(of: ":"), ["ro", "rw"].contains(String(spec[spec.index(after: colon)...])) {
        ref = String(spec[..<colon])
        forcedMode = String(spec[spec.index(after: colon)...])
      }
      guard !ref.isEmpty else { throw DaemonError.invalid("invalid volumes-from specification: '\(spec)'") }
      let source = try record(ref)
      func add(_ origin: String, _ destination: String, readOnly: Bool) {
        binds.append("\(origin):\(destination):\(forcedMode ?? (readOnly ? "ro" : "rw"))")
      }
      for b in source.settings.binds ?? [] {
        let bind = try BindSpec(parsing: b)
        switch bind.source {
        case .hostPath(let path): add(path, bind.destination, readOnly: bind.readOnly)
        case .namedVolume(let name): add(name, bind.destination, readOnly: bind.readOnly)
        case .anonymous: break  // among the anonymous destinations below
        }
      }
      for m in source.settings.mounts ?? [] where m.type == "bind" || m.type == "volume" {
        if let origin = m.source, !origin.isEmpty { add(origin, m.target, readOnly: m.readOnly) }
      }
      for destination in Self.anonymousDestinations(source.settings) {
        if let volume = volumes.anonymous(of: source.id, at: destination) {
          add(volume.name, destination, readOnly: false)
        }
      }
    }
    return binds
  }
}
