import JSONCoding
import OCI

/// The OCI values inside an `InitConfig`, in `BinaryWriter`'s form. Fields are written
/// in declaration order; `read…` mirrors `write` exactly.
enum InitSpecCoding {
  // MARK: Spec

  static func write(_ spec: Spec, to w: inout BinaryWriter) throws {
    w.string(spec.ociVersion)
    w.optional(spec.process) { write($1, to: &$0) }
    w.optional(spec.root) {
      $0.string($1.path)
      $0.optionalBool($1.readonly)
    }
    w.optionalString(spec.hostname)
    w.optionalString(spec.domainname)
    w.optional(spec.mounts) { $0.array($1) { write($1, to: &$0) } }
    w.optional(spec.hooks) { write($1, to: &$0) }
    w.optional(spec.annotations) { $0.dictionary($1) }
    try w.optional(spec.linux) { try write($1, to: &$0) }
  }

  static func readSpec(_ r: inout BinaryReader) throws -> Spec {
    var spec = Spec(ociVersion: try r.string())
    spec.process = try r.optional { try readProcess(&$0) }
    spec.root = try r.optional { Root(path: try $0.string(), readonly: try $0.optionalBool()) }
    spec.hostname = try r.optionalString()
    spec.domainname = try r.optionalString()
    spec.mounts = try r.optional { try $0.array { try readMount(&$0) } }
    spec.hooks = try r.optional { try readHooks(&$0) }
    spec.annotations = try r.optional { try $0.dictionary() }
    spec.linux = try r.optional { try readLinux(&$0) }
    return spec
  }

  // MARK: Linux (without resources: see InitConfig+Binary)

  static func write(_ linux: Linux, to w: inout BinaryWriter) throws {
    w.optional(linux.uidMappings) { $0.array($1) { write($1, to: &$0) } }
    w.optional(linux.gidMappings) { $0.array($1) { write($1, to: &$0) } }
    w.optional(linux.sysctl) { $0.dictionary($1) }
    w.optionalString(linux.cgroupsPath)
    w.optional(linux.namespaces) { $0.array($1) { write($1, to: &$0) } }
    w.optional(linux.devices) { $0.array($1) { write($1, to: &$0) } }
    try w.optional(linux.seccomp.map { try JSON.encode($0) }) { $0.blob($1) }
    w.optionalString(linux.rootfsPropagation)
    w.optionalStrings(linux.maskedPaths)
    w.optionalStrings(linux.readonlyPaths)
    w.optionalString(linux.mountLabel)
    try w.optional(linux.personality.map { try JSON.encode($0) }) { $0.blob($1) }
  }

  static func readLinux(_ r: inout BinaryReader) throws -> Linux {
    var linux = Linux()
    linux.uidMappings = try r.optional { try $0.array { try readIDMapping(&$0) } }
    linux.gidMappings = try r.optional { try $0.array { try readIDMapping(&$0) } }
    linux.sysctl = try r.optional { try $0.dictionary() }
    linux.cgroupsPath = try r.optionalString()
    linux.namespaces = try r.optional { try $0.array { try readNamespace(&$0) } }
    linux.devices = try r.optional { try $0.array { try readDevice(&$0) } }
    linux.seccomp = try r.optional { try JSON.decode(Seccomp.self, from: try $0.blob()) }
    linux.rootfsPropagation = try r.optionalString()
    linux.maskedPaths = try r.optionalStrings()
    linux.readonlyPaths = try r.optionalStrings()
    linux.mountLabel = try r.optionalString()
    linux.personality = try r.optional { try JSON.decode(Personality.self, from: try $0.blob()) }
    return linux
  }

  static func write(_ mapping: IDMapping, to w: inout BinaryWriter) {
    w.uint(UInt64(mapping.containerID))
    w.uint(UInt64(mapping.hostID))
    w.uint(UInt64(mapping.size))
  }

  static func readIDMapping(_ r: inout BinaryReader) throws -> IDMapping {
    IDMapping(
      containerID: try r.uint(as: UInt32.self), hostID: try r.uint(as: UInt32.self), size: try r.uint(as: UInt32.self))
  }

  static func write(_ namespace: Namespace, to w: inout BinaryWriter) {
    w.string(namespace.type)
    w.optionalString(namespace.path)
  }

  static func readNamespace(_ r: inout BinaryReader) throws -> Namespace {
    Namespace(type: try r.string(), path: try r.optionalString())
  }

  static func write(_ device: Device, to w: inout BinaryWriter) {
    w.string(device.path)
    w.string(device.type)
    w.optionalInt(device.major)
    w.optionalInt(device.minor)
    w.optionalUInt(device.fileMode.map(UInt64.init))
    w.optionalUInt(device.uid.map(UInt64.init))
    w.optionalUInt(device.gid.map(UInt64.init))
  }

  static func readDevice(_ r: inout BinaryReader) throws -> Device {
    Device(
      path: try r.string(), type: try r.string(), major: try r.optional { try $0.int() },
      minor: try r.optional { try $0.int() }, fileMode: try r.optional { try $0.uint(as: UInt32.self) },
      uid: try r.optional { try $0.uint(as: UInt32.self) }, gid: try r.optional { try $0.uint(as: UInt32.self) })
  }

  // MARK: Process

  static func write(_ process: OCI.Process, to w: inout BinaryWriter) {
    w.optionalBool(process.terminal)
    w.optional(process.consoleSize) {
      $0.uint(UInt64($1.height))
      $0.uint(UInt64($1.width))
    }
    w.uint(UInt64(process.user.uid))
    w.uint(UInt64(process.user.gid))
    w.optionalUInt(process.user.umask.map(UInt64.init))
    w.optional(process.user.additionalGids) { $0.array($1) { $0.uint(UInt64($1)) } }
    w.optionalString(process.user.username)
    w.optionalStrings(process.args)
    w.optionalString(process.commandLine)
    w.optionalStrings(process.env)
    w.string(process.cwd)
    w.optional(process.capabilities) {
      $0.optionalStrings($1.bounding)
      $0.optionalStrings($1.effective)
      $0.optionalStrings($1.inheritable)
      $0.optionalStrings($1.permitted)
      $0.optionalStrings($1.ambient)
    }
    w.optional(process.rlimits) {
      $0.array($1) {
        $0.string($1.type)
        $0.uint($1.hard)
        $0.uint($1.soft)
      }
    }
    w.optionalBool(process.noNewPrivileges)
    w.optionalString(process.apparmorProfile)
    w.optionalInt(process.oomScoreAdj.map(Int64.init))
    w.optionalString(process.selinuxLabel)
  }

  static func readProcess(_ r: inout BinaryReader) throws -> OCI.Process {
    var process = OCI.Process()
    process.terminal = try r.optionalBool()
    process.consoleSize = try r.optional {
      ConsoleSize(height: try $0.uint(as: UInt32.self), width: try $0.uint(as: UInt32.self))
    }
    process.user = User(uid: try r.uint(as: UInt32.self), gid: try r.uint(as: UInt32.self))
    process.user.umask = try r.optional { try $0.uint(as: UInt32.self) }
    process.user.additionalGids = try r.optional { try $0.array { try $0.uint(as: UInt32.self) } }
    process.user.username = try r.optionalString()
    process.args = try r.optionalStrings()
    process.commandLine = try r.optionalString()
    process.env = try r.optionalStrings()
    process.cwd = try r.string()
    process.capabilities = try r.optional {
      Capabilities(
        bounding: try $0.optionalStrings(), effective: try $0.optionalStrings(),
        inheritable: try $0.optionalStrings(), permitted: try $0.optionalStrings(), ambient: try $0.optionalStrings())
    }
    process.rlimits = try r.optional {
      try $0.array { Rlimit(type: try $0.string(), hard: try $0.uint(), soft: try $0.uint()) }
    }
    process.noNewPrivileges = try r.optionalBool()
    process.apparmorProfile = try r.optionalString()
    process.oomScoreAdj = try r.optional { try $0.int(as: Int.self) }
    process.selinuxLabel = try r.optionalString()
    return process
  }

  // MARK: Mounts and hooks

  static func write(_ mount: Mount, to w: inout BinaryWriter) {
    w.string(mount.destination)
    w.optionalString(mount.type)
    w.optionalString(mount.source)
    w.optionalStrings(mount.options)
    w.optional(mount.uidMappings) { $0.array($1) { write($1, to: &$0) } }
    w.optional(mount.gidMappings) { $0.array($1) { write($1, to: &$0) } }
  }

  static func readMount(_ r: inout BinaryReader) throws -> Mount {
    var mount = Mount(
      destination: try r.string(), type: try r.optionalString(), source: try r.optionalString(),
      options: try r.optionalStrings())
    mount.uidMappings = try r.optional { try $0.array { try readIDMapping(&$0) } }
    mount.gidMappings = try r.optional { try $0.array { try readIDMapping(&$0) } }
    return mount
  }

  static func write(_ hooks: Hooks, to w: inout BinaryWriter) {
    for list in [
      hooks.prestart, hooks.createRuntime, hooks.createContainer, hooks.startContainer, hooks.poststart,
      hooks.poststop,
    ] {
      w.optional(list) {
        $0.array($1) {
          $0.string($1.path)
          $0.optionalStrings($1.args)
          $0.optionalStrings($1.env)
          $0.optionalInt($1.timeout.map(Int64.init))
        }
      }
    }
  }

  static func readHooks(_ r: inout BinaryReader) throws -> Hooks {
    func list(_ r: inout BinaryReader) throws -> [Hook]? {
      try r.optional {
        try $0.array {
          Hook(
            path: try $0.string(), args: try $0.optionalStrings(), env: try $0.optionalStrings(),
            timeout: try $0.optional { try $0.int(as: Int.self) })
        }
      }
    }
    var hooks = Hooks()
    hooks.prestart = try list(&r)
    hooks.createRuntime = try list(&r)
    hooks.createContainer = try list(&r)
    hooks.startContainer = try list(&r)
    hooks.poststart = try list(&r)
    hooks.poststop = try list(&r)
    return hooks
  }

  // MARK: State

  static func write(_ state: ContainerState, to w: inout BinaryWriter) {
    w.string(state.ociVersion)
    w.string(state.id)
    w.int(Int64(state.pid))
    w.string(state.status)
    w.string(state.bundle)
    w.string(state.rootfs)
    w.string(state.created)
    w.string(state.owner)
    w.optional(state.annotations) { $0.dictionary($1) }
  }

  static func readState(_ r: inout BinaryReader) throws -> ContainerState {
    ContainerState(
      ociVersion: try r.string(), id: try r.string(), pid: try r.int(as: Int32.self), status: try r.string(),
      bundle: try r.string(), rootfs: try r.string(), created: try r.string(), owner: try r.string(),
      annotations: try r.optional { try $0.dictionary() })
  }
}
