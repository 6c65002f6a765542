// Builds a container's OCI runtime spec from its (image-merged) settings, the way
// moby's daemon/oci_linux.go does. Pure apart from reading the rootfs's /etc/passwd and
// /etc/group; everything it needs from the host comes in through `SpecContext`.
import OCI
import Seccomp

/// What the spec builder needs to know about the host and the container's files.
public struct SpecContext: Sendable {
  /// 64-hex container id.
  public var id: String
  /// The container's root filesystem (mounted, for /etc/passwd and /etc/group).
  public var rootfs: String
  /// The container's bundle directory, holding the files the daemon writes for it
  /// (hostname, hosts, resolv.conf), bind-mounted into it.
  public var bundleDirectory: String
  /// Parent of the container's cgroup ("/berth" → cgroupsPath "/berth/<id>").
  public var cgroupParent: String = "/berth"
  /// A private cgroup namespace, as Docker does on pure cgroup v2 hosts.
  public var cgroupNamespace: Bool = false
  /// The host's hostname (the container's with `--network host`).
  public var hostHostname: String = ""
  /// The network namespace the network area made for this start; nil: a new one with
  /// loopback only (no network to attach, e.g. berthd with `--bridge none`).
  public var networkNamespacePath: String?
  /// Resolves "container:<name|id>" to that container's init pid (it must be running).
  public var containerPID: @Sendable (String) throws -> Int32 = { ref in
    throw DaemonError.noSuchContainer(ref)
  }
  /// Resolves a named volume to its host directory.
  public var volumePath: @Sendable (String) throws -> String = { name in
    throw DaemonError.notSupported("named volumes are not supported yet (volume \"\(name)\")")
  }
  /// Creates (or finds) the anonymous volume of `-v /path` and returns its host directory.
  public var anonymousVolumePath: @Sendable (String) throws -> String = { path in
    throw DaemonError.notSupported("anonymous volumes are not supported yet (-v \(path))")
  }
  /// berth-init on the host, mounted as the container's PID 1 with `--init`; nil: not installed.
  public var initBinary: String?
  /// Whether containers that do not set --init get one (dockerd's `--init`).
  public var defaultInit: Bool = false
  /// Describes a host device node for `--device`.
  public var hostDevice: @Sendable (String) throws -> Device = { path in
    throw DaemonError.invalid("error gathering device information while adding custom device \"\(path)\"")
  }

  public init(id: String, rootfs: String, bundleDirectory: String) {
    self.id = id
    self.rootfs = rootfs
    self.bundleDirectory = bundleDirectory
  }
}

public enum SpecBuilder {
  public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  public static let defaultShmSize: Int64 = 64 * 1024 * 1024

  /// The runtime spec for a container whose settings were merged with its image
  /// (`merged(_:image:id:)`).
  public static func build(_ s: ContainerSettings, context: SpecContext) throws -> Spec {
    try validate(s)
    let user = try resolveUser(s.user ?? "", groupAdd: s.groupAdd ?? [], rootfs: context.rootfs)
    let caps = try capabilities(add: s.capAdd ?? [], drop: s.capDrop ?? [], privileged: s.privileged)
    let security = try SecurityOptions(parsing: s.securityOpt ?? [])

    let initProgram = try initBinary(s, context: context)

    var process = Process(
      terminal: s.tty, user: user, args: initArguments(initProgram) + (try arguments(s)), env: environment(s),
      cwd: try workingDirectory(s),
      capabilities: Capabilities(bounding: caps, effective: caps, inheritable: [], permitted: caps),
      rlimits: try rlimits(s.resources.ulimits ?? []), noNewPrivileges: security.noNewPrivileges ? true : nil,
      oomScoreAdj: s.oomScoreAdj)
    if s.tty { process.consoleSize = consoleSize(s.consoleSize) }

    var linux = Linux()
    linux.cgroupsPath = context.cgroupParent + "/" + context.id
    linux.namespaces = try namespaces(s, context: context)
    var res = try resources(s.resources, privileged: s.privileged)
    let extraDevices = try devices(s.devices ?? [], context: context)
    if !extraDevices.isEmpty {
      linux.devices = extraDevices
      res.devices = (res.devices ?? []) + deviceRules(extraDevices, s.devices ?? [])
    }
    res.devices = (res.devices ?? []) + (try (s.deviceCgroupRules ?? []).map(deviceCgroupRule))
    linux.resources = res
    linux.sysctl = s.sysctls.flatMap { $0.isEmpty ? nil : $0 }
    if !s.privileged {
      linux.maskedPaths = maskedPaths
      linux.readonlyPaths = readonlyPaths
      linux.seccomp = try seccomp(security.seccomp, capabilities: Set(caps))
    }

    return Spec(
      ociVersion: "1.1.0", process: process,
      root: Root(path: context.rootfs, readonly: s.readonlyRootfs ? true : nil),
      // With the host's UTS namespace there is no hostname to set (runtimes refuse one, as dockerd knows).
      hostname: s.utsMode == "host" ? nil : s.hostname ?? String(context.id.prefix(12)),
      domainname: s.domainname.flatMap { $0.isEmpty ? nil : $0 },
      mounts: try mounts(s, context: context) + initMounts(initProgram), linux: linux)
  }

  /// Checks everything that can be checked without the rootfs, so that `create` fails the
  /// way Docker's does instead of a later `start`.
  /// dockerd's rules: a policy and --rm exclude each other; a retry count only with on-failure.
  static func validateRestartPolicy(_ s: ContainerSettings) throws {
    let policy = s.restartPolicy
    let none = policy.name.isEmpty || policy.name == "no"
    if s.autoRemove && !none {
      throw DaemonError.invalid("can't create 'AutoRemove' container with restart policy")
    }
    if policy.maximumRetryCount < 0 {
      throw DaemonError.invalid("invalid restart policy: maximum retry count cannot be negative")
    }
    if policy.maximumRetryCount > 0 && policy.name != "on-failure" {
      throw DaemonError.invalid(
        "invalid restart policy: maximum retry count can only be used with 'on-failure'")
    }
  }

  /// The size the client asked for at create (docker sends its terminal's), else 24×80.
  static func consoleSize(_ size: [Int]?) -> ConsoleSize {
    guard let size, size.count == 2, size[0] > 0, size[1] > 0, size[0] <= 0xFFFF, size[1] <= 0xFFFF else {
      return ConsoleSize(height: 24, width: 80)
    }
    return ConsoleSize(height: UInt32(size[0]), width: UInt32(size[1]))
  }

  public static func validate(_ s: ContainerSettings) throws {
    try validateNetwork(s)
    if let dir = s.workingDir, !dir.isEmpty, !dir.hasPrefix("/") {
      throw DaemonError.invalid("the working directory '\(dir)' is invalid, it needs to be an absolute path")
    }
    if (s.entrypoint ?? []).filter({ !$0.isEmpty }).isEmpty && (s.cmd ?? []).isEmpty {
      throw DaemonError.invalid("No command specified")
    }
    try validateRestartPolicy(s)
    _ = try capabilities(add: s.capAdd ?? [], drop: s.capDrop ?? [], privileged: s.privileged)
    _ = try SecurityOptions(parsing: s.securityOpt ?? [])
    _ = try resources(s.resources, privileged: s.privileged)
    _ = try rlimits(s.resources.ulimits ?? [])
    for bind in s.binds ?? [] { _ = try BindSpec(parsing: bind) }
    for m in s.mounts ?? [] { try validateMount(m) }
    for (path, _) in s.tmpfs ?? [:] where !path.hasPrefix("/") {
      throw DaemonError.invalid("invalid tmpfs mount path: '\(path)' mount path must be absolute")
    }
    for mode in [s.ipcMode, s.pidMode, s.utsMode] { try validateNamespaceMode(mode) }
    if let parent = s.cgroupParent { _ = try cgroupParent(parent) }
  }

  /// A `--cgroup-parent` as a cgroup path: relative ones are taken from the hierarchy's root,
  /// as Docker's cgroupfs driver does; "." and ".." are refused (they would leave the tree).
  public static func cgroupParent(_ parent: String) throws -> String {
    let parts = parent.split(separator: "/")
    guard !parts.isEmpty, !parts.contains("."), !parts.contains("..") else {
      throw DaemonError.invalid("invalid --cgroup-parent \"\(parent)\": a cgroup path like /parent or parent/child")
    }
    return "/" + parts.joined(separator: "/")
  }

  /// The container's config as Docker stores it: the request filled in from the image
  /// config (moby's `merge`), with the default hostname.
  public static func merged(
    _ request: ContainerSettings, image: ImageConfig.Config?, id: String, hostHostname: String = ""
  ) -> ContainerSettings {
    var s = request
    if let img = image {
      if (s.user ?? "").isEmpty { s.user = img.user }
      s.exposedPorts = mergedList(s.exposedPorts, img.exposedPorts.map { Array($0.keys).sorted() })
      if (s.env ?? []).isEmpty {
        s.env = img.env
      } else {
        var env = s.env ?? []
        let keys = Set(env.map(envKey))
        for e in img.env ?? [] where !keys.contains(envKey(e)) { env.append(e) }
        s.env = env
      }
      var labels = s.labels ?? [:]
      for (k, v) in img.labels ?? [:] where labels[k] == nil { labels[k] = v }
      s.labels = labels
      if (s.entrypoint ?? []).isEmpty {
        if (s.cmd ?? []).isEmpty {
          s.cmd = img.cmd
          s.argsEscaped = img.argsEscaped
        }
        if s.entrypoint == nil { s.entrypoint = img.entrypoint }
      }
      if let hc = img.healthcheck {
        if var mine = s.healthcheck {
          if (mine.test ?? []).isEmpty { mine.test = hc.test }
          if (mine.interval ?? 0) == 0 { mine.interval = hc.interval }
          if (mine.timeout ?? 0) == 0 { mine.timeout = hc.timeout }
          if (mine.startPeriod ?? 0) == 0 { mine.startPeriod = hc.startPeriod }
          if (mine.startInterval ?? 0) == 0 { mine.startInterval = hc.startInterval }
          if (mine.retries ?? 0) == 0 { mine.retries = hc.retries }
          s.healthcheck = mine
        } else {
          s.healthcheck = hc
        }
      }
      if (s.workingDir ?? "").isEmpty { s.workingDir = img.workingDir }
      s.volumes = mergedList(s.volumes, img.volumes.map { Array($0.keys).sorted() })
      if (s.stopSignal ?? "").isEmpty { s.stopSignal = img.stopSignal }
    }
    // `--entrypoint ""` resets the entrypoint (and, above, kept the image's Cmd out).
    if s.entrypoint == [""] { s.entrypoint = [] }
    if (s.hostname ?? "").isEmpty {
      s.hostname = s.networkMode == "host" && !hostHostname.isEmpty ? hostHostname : String(id.prefix(12))
    }
    return s
  }

  static func mergedList(_ mine: [String]?, _ image: [String]?) -> [String]? {
    guard let mine, !mine.isEmpty else { return image }
    var out = mine
    for x in image ?? [] where !out.contains(x) { out.append(x) }
    return out
  }

  static func envKey(_ entry: String) -> String {
    entry.firstIndex(of: "=").map { String(entry[..<$0]) } ?? entry
  }
}
