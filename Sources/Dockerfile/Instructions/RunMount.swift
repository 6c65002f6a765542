/// One `RUN --mount=…` value: the text as written and, when it has no `$` reference, its
/// parsed form. Mounts that use variables are parsed by the builder with `resolved`.
public struct MountSpec: Equatable, Sendable {
  /// The value after `--mount=`.
  public var raw: String
  /// Parsed at parse time; nil when the value refers to variables.
  public var parsed: RunMount?

  public init(raw: String, parsed: RunMount?) {
    self.raw = raw
    self.parsed = parsed
  }

  /// The mount with variables substituted from the stage's environment.
  public func resolved(env: [String: String], escape: Character = "\\") throws(SubstitutionError) -> RunMount {
    if let parsed { return parsed }
    do {
      return try RunMount.parse(raw) { (value: String) throws(SubstitutionError) -> String in
        try Substitution.expand(value, env: env, escape: escape)
      }
    } catch let failure as MountFailure {
      throw SubstitutionError(word: raw, message: failure.message)
    } catch {
      throw error as? SubstitutionError ?? SubstitutionError(word: raw, message: "\(error)")
    }
  }
}

struct MountFailure: Error {
  var message: String
}

/// A parsed `RUN --mount`, with BuildKit's defaults and validation.
public struct RunMount: Equatable, Sendable {
  public enum Kind: String, Equatable, Sendable, CaseIterable {
    case bind, cache, tmpfs, secret, ssh
  }

  /// `sharing=` of a cache mount.
  public enum Sharing: String, Equatable, Sendable {
    case shared, `private`, locked
  }

  public var type: Kind
  /// `target`/`dst`/`destination`; may be nil for secret and ssh (defaults apply).
  public var target: String?
  /// `source`/`src`.
  public var source: String?
  /// `from=`: stage name or index, image, or named context.
  public var from: String?
  /// Read-only: explicit `ro`/`rw`, else true for bind, secret and ssh.
  public var readOnly: Bool
  /// `id=` (cache, secret, ssh).
  public var id: String?
  /// `sharing=` (cache only; nil means shared).
  public var sharing: Sharing?
  /// `mode=` in octal (cache, secret, ssh).
  public var mode: UInt32?
  public var uid: UInt32?
  public var gid: UInt32?
  /// `required` (secret, ssh).
  public var required: Bool
  /// `size=` in bytes (tmpfs).
  public var size: Int64?
  /// `env=` (secret): expose the secret as this environment variable.
  public var env: String?

  public init(
    type: Kind, target: String? = nil, source: String? = nil, from: String? = nil, readOnly: Bool? = nil,
    id: String? = nil, sharing: Sharing? = nil, mode: UInt32? = nil, uid: UInt32? = nil, gid: UInt32? = nil,
    required: Bool = false, size: Int64? = nil, env: String? = nil
  ) {
    self.type = type
    self.target = target
    self.source = source
    self.from = from
    self.readOnly = readOnly ?? !(type == .cache || type == .tmpfs)
    self.id = id
    self.sharing = sharing
    self.mode = mode
    self.uid = uid
    self.gid = gid
    self.required = required
    self.size = size
    self.env = env
  }

  /// For a secret: its id (`id=`, else the target's base name).
  public var secretID: String? {
    if let id { return id }
    guard let target else { return nil }
    return target.split(separator: "/").last.map(String.init)
  }

  /// The path the mount appears at, with the reference's defaults for secrets
  /// (`/run/secrets/<id>` unless only `env=` is set) and ssh (`/run/buildkit/ssh_agent.<n>`).
  public func effectiveTarget(sshIndex: Int = 0) -> String? {
    if let target { return target }
    switch type {
    case .secret: return env == nil ? secretID.map { "/run/secrets/" + $0 } : nil
    case .ssh: return "/run/buildkit/ssh_agent.\(sshIndex)"
    default: return nil
    }
  }

  /// Parses a `--mount` value (CSV fields `key=value` or bare `ro`/`rw`/`required`).
  /// `expand` is applied to every value before it is interpreted.
  static func parse(_ spec: String, expand: (String) throws -> String) throws -> RunMount {
    let fields: [String]
    do {
      fields = try CSVFields.parse(spec)
    } catch {
      throw MountFailure(message: "failed to parse csv mounts: \(error.message)")
    }
    var type = Kind.bind
    var values: [(String, String?)] = []
    for field in fields {
      if let eq = field.firstIndex(of: "=") {
        values.append((String(field[..<eq]).lowercased(), try expand(String(field[field.index(after: eq)...]))))
      } else {
        values.append((field.lowercased(), nil))
      }
    }
    var m = RunMount(type: .bind)
    var readOnly: Bool? = nil
    func fail(_ message: String) -> MountFailure { MountFailure(message: message) }
    func bool(_ key: String, _ value: String) throws -> Bool {
      guard let b = GoBool.parse(value) else { throw fail("invalid value for \(key): \(value)") }
      return b
    }
    func number(_ key: String, _ value: String, radix: Int) throws -> UInt32 {
      guard let n = UInt32(value, radix: radix) else { throw fail("invalid value \(value) for \(key)") }
      return n
    }
    for (key, value) in values {
      guard let value else {
        switch key {
        case "readonly", "ro": readOnly = true
        case "readwrite", "rw": readOnly = false
        case "required":
          guard type == .secret || type == .ssh else {
            throw fail("unexpected key '\(key)' for mount type '\(type.rawValue)'")
          }
          m.required = true
        default: throw fail("invalid field '\(key)' must be a key=value pair")
        }
        continue
      }
      switch key {
      case "type":
        guard let k = Kind(rawValue: value.lowercased()) else { throw fail("unsupported mount type \"\(value)\"") }
        type = k
      case "from": m.from = value
      case "source", "src": m.source = value
      case "target", "dst", "destination": m.target = value
      case "readonly", "ro": readOnly = try bool(key, value)
      case "readwrite", "rw": readOnly = !(try bool(key, value))
      case "required":
        guard type == .secret || type == .ssh else {
          throw fail("unexpected key '\(key)' for mount type '\(type.rawValue)'")
        }
        m.required = try bool(key, value)
      case "size":
        guard type == .tmpfs else { throw fail("unexpected key '\(key)' for mount type '\(type.rawValue)'") }
        guard let size = ByteSize.parse(value) else { throw fail("invalid value for \(key): \(value)") }
        m.size = size
      case "id": m.id = value
      case "sharing":
        guard let s = Sharing(rawValue: value.lowercased()) else {
          throw fail("unsupported sharing value \"\(value)\"")
        }
        m.sharing = s
      case "mode": m.mode = try number("mode", value, radix: 8)
      case "uid": m.uid = try number("uid", value, radix: 10)
      case "gid": m.gid = try number("gid", value, radix: 10)
      case "env": m.env = value
      default: throw fail("unexpected key '\(key)' in '\(key)=\(value)'")
      }
    }
    m.type = type
    if !(type == .secret || type == .ssh || type == .cache) {
      if m.mode != nil { throw fail("mode not allowed for \"\(type.rawValue)\" type mounts") }
      if m.uid != nil { throw fail("uid not allowed for \"\(type.rawValue)\" type mounts") }
      if m.gid != nil { throw fail("gid not allowed for \"\(type.rawValue)\" type mounts") }
    }
    m.readOnly = readOnly ?? !(type == .cache || type == .tmpfs)
    if type == .secret {
      if m.from != nil { throw fail("secret mount should not have a from") }
      if m.sharing != nil { throw fail("secret mount should not define sharing") }
      if m.source == nil && m.target == nil && m.id == nil && m.env == nil {
        throw fail("invalid secret mount. one of source, target required")
      }
      if m.source != nil && m.id != nil { throw fail("both source and id can't be set") }
      if m.id == nil, let source = m.source { m.id = source }
    }
    if m.sharing != nil && type != .cache { throw fail("invalid cache sharing set for \(type.rawValue) mount") }
    if (type == .bind || type == .cache || type == .tmpfs) && (m.target ?? "").isEmpty {
      throw fail("mount type \(type.rawValue) requires a target (target=, dst= or destination=)")
    }
    return m
  }
}
