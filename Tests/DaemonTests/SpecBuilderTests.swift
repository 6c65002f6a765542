import OCI
import Testing

@testable import Daemon

#if canImport(Glibc)
  import Glibc
#endif

private let id = String(repeating: "ab", count: 32)

private func context(rootfs: String = "/nonexistent-rootfs") -> SpecContext {
  var c = SpecContext(id: id, rootfs: rootfs, bundleDirectory: "/run/berth/bundles/\(id)")
  c.containerPID = { ref in
    guard ref == "web" else { throw DaemonError.noSuchContainer(ref) }
    return 4242
  }
  return c
}

private func settings(_ cmd: [String] = ["sh"], _ change: (inout ContainerSettings) -> Void = { _ in })
  -> ContainerSettings
{
  var s = ContainerSettings(image: "busybox")
  s.cmd = cmd
  change(&s)
  return s
}

private func build(_ s: ContainerSettings) throws -> Spec {
  try SpecBuilder.build(SpecBuilder.merged(s, image: nil, id: id), context: context())
}

private func expectError(_ kind: DaemonError.Kind, containing text: String, _ body: () throws -> Void) {
  do {
    try body()
    Issue.record("expected an error containing \(text)")
  } catch let e as DaemonError {
    #expect(e.kind == kind)
    #expect(e.message.contains(text), "\(e.message)")
  } catch {
    Issue.record("unexpected error \(error)")
  }
}

@Suite struct EntrypointAndCmdTests {
  let image = ImageConfig.Config(env: ["PATH=/bin", "A=1"], entrypoint: ["/entry"], cmd: ["default", "arg"])

  func args(_ s: ContainerSettings) throws -> [String] {
    try SpecBuilder.arguments(SpecBuilder.merged(s, image: image, id: id))
  }

  @Test func imageDefaults() throws {
    #expect(try args(ContainerSettings()) == ["/entry", "default", "arg"])
  }

  @Test func cmdOverridesImageCmd() throws {
    var s = ContainerSettings()
    s.cmd = ["echo", "hi"]
    #expect(try args(s) == ["/entry", "echo", "hi"])
  }

  @Test func entrypointResetsImageCmd() throws {
    var s = ContainerSettings()
    s.entrypoint = ["/bin/other"]
    #expect(try args(s) == ["/bin/other"])
    s.cmd = ["x"]
    #expect(try args(s) == ["/bin/other", "x"])
  }

  @Test func emptyEntrypointResetsEntrypointButKeepsCmdIfGiven() throws {
    var s = ContainerSettings()
    s.entrypoint = [""]
    s.cmd = ["ls"]
    #expect(try args(s) == ["ls"])
  }

  @Test func emptyEntrypointWithoutCmdIsNoCommand() {
    var s = ContainerSettings()
    s.entrypoint = [""]
    expectError(.invalidParameter, containing: "No command specified") { _ = try args(s) }
  }

  @Test func emptyArrayEntrypointTakesImageCmd() throws {
    var s = ContainerSettings()
    s.entrypoint = []
    #expect(try args(s) == ["default", "arg"])
  }

  @Test func noCommandAnywhere() {
    let merged = SpecBuilder.merged(ContainerSettings(), image: ImageConfig.Config(), id: id)
    expectError(.invalidParameter, containing: "No command specified") { try SpecBuilder.validate(merged) }
  }
}

@Suite struct MergeTests {
  @Test func envLabelsWorkdirUserStopSignal() {
    var img = ImageConfig.Config(
      user: "nobody", env: ["PATH=/img/bin", "A=image", "B=image"], workingDir: "/srv",
      labels: ["l1": "image", "l2": "image"], stopSignal: "SIGQUIT")
    img.volumes = ["/data": ImageConfig.Empty()]
    var s = ContainerSettings()
    s.cmd = ["true"]
    s.env = ["A=mine", "C=mine"]
    s.labels = ["l1": "mine"]
    let m = SpecBuilder.merged(s, image: img, id: id)
    #expect(m.env == ["A=mine", "C=mine", "PATH=/img/bin", "B=image"])
    #expect(m.labels == ["l1": "mine", "l2": "image"])
    #expect(m.user == "nobody")
    #expect(m.workingDir == "/srv")
    #expect(m.stopSignal == "SIGQUIT")
    #expect(m.volumes == ["/data"])
    #expect(m.hostname == String(id.prefix(12)))
  }

  @Test func hostNetworkUsesHostHostname() {
    var s = settings()
    s.networkMode = "host"
    #expect(SpecBuilder.merged(s, image: nil, id: id, hostHostname: "myhost").hostname == "myhost")
    s.hostname = "given"
    #expect(SpecBuilder.merged(s, image: nil, id: id, hostHostname: "myhost").hostname == "given")
  }
}

@Suite struct EnvironmentTests {
  @Test func defaultsPathHostnameAndOverrides() throws {
    let spec = try build(settings { $0.env = ["FOO=bar", "PATH=/custom"] })
    #expect(spec.process?.env == ["PATH=/custom", "HOSTNAME=\(id.prefix(12))", "FOO=bar"])
  }

  @Test func ttyAddsTerm() throws {
    let spec = try build(settings { $0.tty = true })
    #expect(spec.process?.env?.contains("TERM=xterm") == true)
    #expect(spec.process?.terminal == true)
    let env =
      try build(
        settings {
          $0.tty = true; $0.env = ["TERM=vt100"]
        }
      ).process?.env ?? []
    #expect(env.filter { $0.hasPrefix("TERM=") } == ["TERM=vt100"])
  }

  @Test func bareKeyRemoves() {
    #expect(SpecBuilder.replaceOrAppend(["A=1", "B=2"], with: ["A", "C=3"]) == ["B=2", "C=3"])
  }

  @Test func workingDirectory() throws {
    #expect(try build(settings()).process?.cwd == "/")
    #expect(try build(settings { $0.workingDir = "/a//b/../c/" }).process?.cwd == "/a/c")
    expectError(.invalidParameter, containing: "needs to be an absolute path") {
      _ = try build(settings { $0.workingDir = "rel" })
    }
  }
}

@Suite struct UserTests {
  let passwd = SpecBuilder.parsePasswd(
    """
    root:x:0:0:root:/root:/bin/sh
    # comment
    daemon:x:1:1:daemon:/usr/sbin:/bin/false
    www:x:33:33:www:/var/www:/bin/false
    """)
  let groups = SpecBuilder.parseGroup(
    """
    root:x:0:
    wheel:x:10:root
    www-data:x:33:
    audio:x:29:www,daemon
    video:x:44:www
    """)

  func resolve(_ spec: String, groupAdd: [String] = []) throws -> User {
    try SpecBuilder.resolveUser(spec, groupAdd: groupAdd, passwd: passwd, groups: groups)
  }

  @Test func defaultIsRootWithSupplementaryGroups() throws {
    let u = try resolve("")
    #expect(u.uid == 0 && u.gid == 0)
    #expect(u.additionalGids == [10])
  }

  @Test func byName() throws {
    let u = try resolve("www")
    #expect(u.uid == 33 && u.gid == 33)
    #expect(u.additionalGids == [29, 44])
  }

  @Test func byUID() throws {
    let u = try resolve("1")
    #expect(u.uid == 1 && u.gid == 1)
    #expect(u.additionalGids == [29])
  }

  @Test func unknownNumericUID() throws {
    let u = try resolve("1234")
    #expect(u.uid == 1234 && u.gid == 0 && u.additionalGids == nil)
  }

  @Test func uidAndGid() throws {
    let u = try resolve("1000:1000")
    #expect(u.uid == 1000 && u.gid == 1000)
  }

  @Test func nameAndGroupName() throws {
    let u = try resolve("www:audio")
    #expect(u.uid == 33 && u.gid == 29)
    #expect(u.additionalGids == nil)  // an explicit group drops the implicit supplementary ones
  }

  @Test func unknownUserAndGroup() {
    expectError(.invalidParameter, containing: "unable to find user nobody: no matching entries in passwd file") {
      _ = try resolve("nobody")
    }
    expectError(.invalidParameter, containing: "unable to find group staff: no matching entries in group file") {
      _ = try resolve("www:staff")
    }
  }

  @Test func groupAdd() throws {
    let u = try resolve("www", groupAdd: ["wheel", "500"])
    #expect(u.additionalGids == [29, 44, 10, 500])
    expectError(.invalidParameter, containing: "Unable to find group nope") { _ = try resolve("", groupAdd: ["nope"]) }
  }

  @Test func againstAFakeRootfsWithSymlinkedEtc() throws {
    let root = "/tmp/berth-spec-rootfs-\(getpid())"
    mkdir(root, 0o755)
    mkdir(root + "/real-etc", 0o755)
    symlink("/real-etc", root + "/etc")  // absolute: must resolve inside the rootfs
    defer {
      unlink(root + "/real-etc/passwd")
      unlink(root + "/real-etc/group")
      unlink(root + "/etc")
      rmdir(root + "/real-etc")
      rmdir(root)
    }
    let write = { (path: String, text: String) in
      let f = fopen(path, "w")
      fputs(text, f)
      fclose(f)
    }
    write(root + "/real-etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:1000:2000::/home/app:/bin/sh\n")
    write(root + "/real-etc/group", "app:x:2000:\nextra:x:3000:app\n")
    let u = try SpecBuilder.resolveUser("app", groupAdd: [], rootfs: root)
    #expect(u.uid == 1000 && u.gid == 2000 && u.additionalGids == [3000])
    let spec = try SpecBuilder.build(
      SpecBuilder.merged(settings { $0.user = "app" }, image: nil, id: id), context: context(rootfs: root))
    #expect(spec.process?.user.uid == 1000)
    #expect(spec.root?.path == root)
  }

  @Test func noPasswdFile() throws {
    let u = try SpecBuilder.resolveUser("42:43", groupAdd: [], rootfs: "/nonexistent-rootfs")
    #expect(u.uid == 42 && u.gid == 43)
    expectError(.invalidParameter, containing: "unable to find user app") {
      _ = try SpecBuilder.resolveUser("app", groupAdd: [], rootfs: "/nonexistent-rootfs")
    }
  }
}

@Suite struct CapabilityTests {
  @Test func defaults() throws {
    let caps = try SpecBuilder.capabilities(add: [], drop: [], privileged: false)
    #expect(Set(caps) == SeccompDefaults.caps)
    #expect(caps.first == "CAP_CHOWN")
  }

  @Test func addAndDrop() throws {
    let caps = try SpecBuilder.capabilities(
      add: ["net_admin", "CAP_SYS_PTRACE"], drop: ["chown", "KILL"], privileged: false)
    #expect(caps.contains("CAP_NET_ADMIN") && caps.contains("CAP_SYS_PTRACE"))
    #expect(!caps.contains("CAP_CHOWN") && !caps.contains("CAP_KILL"))
  }

  @Test func addAllDropSome() throws {
    let caps = try SpecBuilder.capabilities(add: ["ALL"], drop: ["SYS_ADMIN"], privileged: false)
    #expect(caps.contains("CAP_SYS_MODULE") && !caps.contains("CAP_SYS_ADMIN"))
  }

  @Test func dropAllAddSome() throws {
    #expect(
      try SpecBuilder.capabilities(add: ["NET_BIND_SERVICE"], drop: ["all"], privileged: false) == [
        "CAP_NET_BIND_SERVICE"
      ])
  }

  @Test func privilegedGetsEverything() throws {
    let spec = try build(settings { $0.privileged = true })
    #expect(spec.process?.capabilities?.bounding == SpecBuilder.allCapabilities)
    #expect(spec.linux?.seccomp == nil)
    #expect(spec.linux?.maskedPaths == nil && spec.linux?.readonlyPaths == nil)
    #expect(spec.linux?.resources?.devices == [DeviceCgroupRule(allow: true, access: "rwm")])
    #expect(spec.mounts?.first { $0.destination == "/sys" }?.options?.contains("rw") == true)
  }

  @Test func unknownCapability() {
    expectError(.invalidParameter, containing: "unknown capability: \"CAP_BOGUS\"") {
      _ = try SpecBuilder.capabilities(add: ["bogus"], drop: [], privileged: false)
    }
  }

  @Test func seccompFollowsCapabilities() throws {
    let spec = try build(settings { $0.capAdd = ["SYS_ADMIN"] })
    let allowed = spec.linux?.seccomp?.syscalls?.first?.names ?? []
    #expect(allowed.contains("mount"))
    let plain = try build(settings())
    let plainAllowed = plain.linux?.seccomp?.syscalls?.first?.names ?? []
    #expect(!plainAllowed.contains("mount"))
    #expect(plain.process?.capabilities?.inheritable == [])
  }
}

enum SeccompDefaults {
  static let caps: Set<String> = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
  ]
}

@Suite struct SecurityOptTests {
  @Test func unconfinedAndNoNewPrivileges() throws {
    let spec = try build(settings { $0.securityOpt = ["seccomp=unconfined", "no-new-privileges"] })
    #expect(spec.linux?.seccomp == nil)
    #expect(spec.process?.noNewPrivileges == true)
    #expect(try build(settings()).process?.noNewPrivileges == nil)
    #expect(try build(settings()).linux?.seccomp?.defaultAction == "SCMP_ACT_ERRNO")
  }

  @Test func dockerFormatProfile() throws {
    let profile = """
      {"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]},{"architecture":"SCMP_ARCH_AARCH64"}],
       "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":1},
                   {"names":["reboot"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_BOOT"]}}]}
      """
    let spec = try build(settings { $0.securityOpt = ["seccomp=" + profile] })
    let sc = try #require(spec.linux?.seccomp)
    #expect(sc.defaultAction == "SCMP_ACT_ALLOW")
    #expect(sc.syscalls?.map(\.names) == [["mkdir"]])
    #if arch(x86_64)
      #expect(sc.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])
    #endif
  }

  @Test func invalidOptions() {
    expectError(.invalidParameter, containing: "invalid --security-opt") {
      _ = try build(settings { $0.securityOpt = ["bogus"] })
    }
    expectError(.invalidParameter, containing: "invalid --security-opt") {
      _ = try build(settings { $0.securityOpt = ["no-new-privileges=maybe"] })
    }
  }
}

@Suite struct MountTests {
  @Test func defaults() throws {
    let spec = try build(settings())
    let dests = spec.mounts?.map(\.destination) ?? []
    #expect(
      dests == [
        "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/resolv.conf",
        "/etc/hostname", "/etc/hosts",
      ])
    #expect(spec.mounts?.first { $0.destination == "/dev/shm" }?.options?.contains("size=67108864") == true)
    #expect(spec.mounts?.first { $0.destination == "/etc/hosts" }?.source == "/run/berth/bundles/\(id)/hosts")
    #expect(spec.linux?.maskedPaths?.contains("/proc/kcore") == true)
    #expect(spec.linux?.readonlyPaths?.contains("/proc/sys") == true)
  }

  @Test func shmSizeAndReadonlyRootfs() throws {
    let spec = try build(
      settings {
        $0.shmSize = 128 << 20; $0.readonlyRootfs = true
      })
    #expect(spec.mounts?.first { $0.destination == "/dev/shm" }?.options?.contains("size=134217728") == true)
    #expect(spec.root?.readonly == true)
    #expect(spec.mounts?.first { $0.destination == "/etc/resolv.conf" }?.options?.contains("ro") == true)
  }

  @Test func bindParsing() throws {
    let a = try BindSpec(parsing: "/host/dir:/ctr:ro")
    #expect(a.source == .hostPath("/host/dir") && a.destination == "/ctr" && a.readOnly)
    let b = try BindSpec(parsing: "/h:/c:rw,rshared")
    #expect(!b.readOnly && b.propagation == "rshared")
    let c = try BindSpec(parsing: "myvol:/data")
    #expect(c.source == .namedVolume("myvol"))
    let d = try BindSpec(parsing: "/data")
    #expect(d.source == .anonymous && d.destination == "/data")
    let e = try BindSpec(parsing: "/data:ro")
    #expect(e.source == .anonymous && e.readOnly)
  }

  @Test func bindErrors() {
    expectError(.invalidParameter, containing: "invalid volume specification: '/a:rel'") {
      _ = try BindSpec(parsing: "/a:rel")
    }
    expectError(.invalidParameter, containing: "invalid mode: bogus") { _ = try BindSpec(parsing: "/a:/b:bogus") }
    expectError(.invalidParameter, containing: "invalid mode: ro,rw") { _ = try BindSpec(parsing: "/a:/b:ro,rw") }
    expectError(.invalidParameter, containing: "invalid volume specification") {
      _ = try BindSpec(parsing: "/a:/b:ro:x")
    }
    expectError(.invalidParameter, containing: "invalid volume specification") { _ = try BindSpec(parsing: "/a::/b") }
    expectError(.invalidParameter, containing: "destination can't be '/'") { _ = try BindSpec(parsing: "/a:/") }
    expectError(.invalidParameter, containing: "invalid characters for a local volume name") {
      _ = try BindSpec(parsing: "bad$name:/b")
    }
  }

  @Test func bindsInSpecSortedParentsFirst() throws {
    let spec = try build(settings { $0.binds = ["/tmp/b:/a/b/c", "/tmp:/a:ro"] })
    let user = (spec.mounts ?? []).filter { $0.destination.hasPrefix("/a") }
    #expect(user.map(\.destination) == ["/a", "/a/b/c"])
    #expect(user[0].options == ["rbind", "rprivate", "ro"])
    #expect(user[0].type == "bind" && user[0].source == "/tmp")
  }

  @Test func namedVolumeWithoutResolverIsNotSupported() {
    expectError(.notImplemented, containing: "named volumes are not supported yet") {
      _ = try build(settings { $0.binds = ["vol:/data"] })
    }
  }

  @Test func userMountReplacesDefault() throws {
    let spec = try build(settings { $0.binds = ["/tmp:/dev/shm"] })
    let shm = spec.mounts?.filter { $0.destination == "/dev/shm" } ?? []
    #expect(shm.count == 1 && shm.first?.type == "bind")
    let dev = try build(settings { $0.tmpfs = ["/dev": ""] })
    #expect(!(dev.mounts ?? []).contains { $0.destination.hasPrefix("/dev/") })
  }

  @Test func tmpfsOptions() throws {
    let spec = try build(settings { $0.tmpfs = ["/run": "rw,exec,size=65536k"] })
    let run = try #require(spec.mounts?.first { $0.destination == "/run" })
    #expect(run.type == "tmpfs")
    #expect(run.options == ["nosuid", "nodev", "rw", "exec", "size=65536k"])
    #expect(SpecBuilder.mergeTmpfsOptions(["size=1", "mode=700", "size=2"]) == ["mode=700", "size=2"])
  }

  @Test func mountSettings() throws {
    var tmp = MountSetting(type: "tmpfs", target: "/scratch")
    tmp.tmpfsSize = 1 << 20
    tmp.tmpfsMode = 0o1777
    let bind = MountSetting(type: "bind", source: "/tmp", target: "/hosttmp", readOnly: true)
    let spec = try build(settings { $0.mounts = [tmp, bind] })
    #expect(
      spec.mounts?.first { $0.destination == "/scratch" }?.options == [
        "noexec", "nosuid", "nodev", "size=1048576", "mode=1777",
      ])
    #expect(spec.mounts?.first { $0.destination == "/hosttmp" }?.options == ["rbind", "rprivate", "ro"])
    expectError(.invalidParameter, containing: "bind source path does not exist: /nonexistent/x") {
      _ = try build(settings { $0.mounts = [MountSetting(type: "bind", source: "/nonexistent/x", target: "/x")] })
    }
    expectError(.invalidParameter, containing: "mount path must be absolute") {
      _ = try build(settings { $0.mounts = [MountSetting(type: "tmpfs", target: "rel")] })
    }
    expectError(.invalidParameter, containing: "Duplicate mount point: /x") {
      _ = try build(
        settings {
          $0.binds = ["/tmp:/x"]; $0.tmpfs = ["/x": ""]
        })
    }
  }
}

@Suite struct NamespaceAndNetworkTests {
  func types(_ spec: Spec) -> [String] { spec.linux?.namespaces?.map(\.type) ?? [] }

  @Test func defaultIsPrivateEverything() throws {
    let spec = try build(settings())
    #expect(Set(types(spec)) == ["mount", "network", "uts", "pid", "ipc"])
    #expect(spec.linux?.cgroupsPath == "/berth/\(id)")
    #expect(spec.hostname == String(id.prefix(12)))
  }

  /// Runtimes (runc, berth-runtime) refuse a hostname without a UTS namespace.
  @Test func hostUTSHasNoHostname() throws {
    let spec = try build(settings { $0.utsMode = "host" })
    #expect(!types(spec).contains("uts"))
    #expect(spec.hostname == nil)
  }

  @Test func noneAndHostAndContainer() throws {
    #expect(types(try build(settings { $0.networkMode = "none" })).contains("network"))
    #expect(!types(try build(settings { $0.networkMode = "host" })).contains("network"))
    let joined = try build(settings { $0.networkMode = "container:web" })
    #expect(joined.linux?.namespaces?.first { $0.type == "network" }?.path == "/proc/4242/ns/net")
    expectError(.notFound, containing: "No such container: db") {
      _ = try build(settings { $0.networkMode = "container:db" })
    }
  }

  @Test func pidAndIpcModes() throws {
    let spec = try build(
      settings {
        $0.pidMode = "host"; $0.ipcMode = "container:web"
      })
    #expect(!types(spec).contains("pid"))
    #expect(spec.linux?.namespaces?.first { $0.type == "ipc" }?.path == "/proc/4242/ns/ipc")
    #expect(spec.mounts?.first { $0.destination == "/dev/shm" }?.source == "/proc/4242/root/dev/shm")
  }

  @Test func networkModesPickTheNamespace() throws {
    #expect(try SpecBuilder.networkPlan("none") == .privateLoopback)
    #expect(try SpecBuilder.networkPlan("host") == .host)
    #expect(try SpecBuilder.networkPlan("container:db") == .container("db"))
    for mode in ["", "default", "bridge", "mynet"] { #expect(try SpecBuilder.networkPlan(mode) == .sandbox) }
    // The network area's namespace when it made one, else a new one with loopback only.
    var made = context()
    made.networkNamespacePath = "/run/berth/network/netns/abc"
    let spec = try SpecBuilder.build(
      SpecBuilder.merged(settings { $0.networkMode = "bridge" }, image: nil, id: id), context: made)
    #expect(spec.linux?.namespaces?.first { $0.type == "network" }?.path == "/run/berth/network/netns/abc")
    let none = try build(settings { $0.networkMode = "default" })
    #expect(none.linux?.namespaces?.contains { $0.type == "network" && $0.path == nil } == true)
  }

  @Test func portsCannotBePublishedFromAnotherContainersNamespace() {
    expectError(.invalidParameter, containing: "port publishing and the container type network mode") {
      try SpecBuilder.validate(
        settings {
          $0.networkMode = "container:db"; $0.portBindings = ["80/tcp": [PortBinding(hostPort: "8080")]]
        })
    }
    #expect(throws: Never.self) {
      try SpecBuilder.validate(settings { $0.portBindings = ["80/tcp": [PortBinding(hostPort: "8080")]] })
    }
  }

  @Test func restartPolicyConflictsAreRefused() {
    expectError(.invalidParameter, containing: "can't create 'AutoRemove' container with restart policy") {
      try SpecBuilder.validate(
        settings {
          $0.autoRemove = true; $0.restartPolicy = RestartPolicy(name: "always")
        })
    }
    expectError(.invalidParameter, containing: "cannot be negative") {
      try SpecBuilder.validate(settings { $0.restartPolicy = RestartPolicy(name: "on-failure", maximumRetryCount: -1) })
    }
    expectError(.invalidParameter, containing: "only be used with 'on-failure'") {
      try SpecBuilder.validate(settings { $0.restartPolicy = RestartPolicy(name: "always", maximumRetryCount: 3) })
    }
    #expect(throws: Never.self) {
      try SpecBuilder.validate(
        settings {
          $0.autoRemove = true; $0.restartPolicy = RestartPolicy(name: "no")
        })
    }
    #expect(throws: Never.self) {
      try SpecBuilder.validate(settings { $0.restartPolicy = RestartPolicy(name: "on-failure", maximumRetryCount: 2) })
    }
  }
}

@Suite struct ResourceTests {
  func res(_ change: (inout ResourceSettings) -> Void) throws -> Resources {
    var r = ResourceSettings()
    change(&r)
    return try SpecBuilder.resources(r, privileged: false)
  }

  @Test func memory() throws {
    let r = try res { $0.memory = 64 << 20 }
    #expect(r.memory?.limit == 64 << 20)
    #expect(r.memory?.swap == 128 << 20)  // Docker: swap defaults to the memory limit again
    #expect(
      try res {
        $0.memory = 64 << 20; $0.memorySwap = -1
      }.memory?.swap == -1)
    #expect(
      try res {
        $0.memory = 64 << 20; $0.memorySwap = 100 << 20
      }.memory?.swap == 100 << 20)
    #expect(try res { $0.memoryReservation = 32 << 20 }.memory?.reservation == 32 << 20)
    #expect(try res { _ in }.memory == nil)
  }

  @Test func memoryErrors() {
    expectError(.invalidParameter, containing: "Minimum memory limit allowed is 6MB") {
      _ = try res { $0.memory = 1024 }
    }
    expectError(.invalidParameter, containing: "should be larger than memory limit") {
      _ = try res {
        $0.memory = 64 << 20; $0.memorySwap = 32 << 20
      }
    }
    expectError(.invalidParameter, containing: "always set the Memory limit") {
      _ = try res { $0.memorySwap = 64 << 20 }
    }
  }

  @Test func cpus() throws {
    let r = try res { $0.nanoCpus = 1_500_000_000 }
    #expect(r.cpu?.period == 100_000 && r.cpu?.quota == 150_000)
    let half = try res {
      $0.nanoCpus = 500_000_000; $0.cpuShares = 512; $0.cpusetCpus = "0-1,3"
    }
    #expect(half.cpu?.quota == 50_000 && half.cpu?.shares == 512 && half.cpu?.cpus == "0-1,3")
    let q = try res {
      $0.cpuQuota = 50_000; $0.cpuPeriod = 200_000
    }
    #expect(q.cpu?.quota == 50_000 && q.cpu?.period == 200_000)
    expectError(.invalidParameter, containing: "Nano CPUs and CPU Period cannot both be set") {
      _ = try res {
        $0.nanoCpus = 1_000_000_000; $0.cpuPeriod = 100_000
      }
    }
    expectError(.invalidParameter, containing: "Nano CPUs and CPU Quota cannot both be set") {
      _ = try res {
        $0.nanoCpus = 1_000_000_000; $0.cpuQuota = 100_000
      }
    }
    expectError(.invalidParameter, containing: "Invalid value 3-1 for cpuset cpus") {
      _ = try res { $0.cpusetCpus = "3-1" }
    }
  }

  @Test func pidsAndDevices() throws {
    #expect(try res { $0.pidsLimit = 100 }.pids?.limit == 100)
    #expect(try res { $0.pidsLimit = -1 }.pids == nil)
    #expect(try res { _ in }.devices?.first == DeviceCgroupRule(allow: false, access: "rwm"))
  }

  @Test func ulimitsAndOOMScore() throws {
    let spec = try build(
      settings {
        $0.resources.ulimits = [
          Ulimit(name: "nofile", soft: 1024, hard: 4096), Ulimit(name: "core", soft: -1, hard: -1),
        ]
        $0.oomScoreAdj = 500
      })
    #expect(
      spec.process?.rlimits == [
        Rlimit(type: "RLIMIT_NOFILE", hard: 4096, soft: 1024), Rlimit(type: "RLIMIT_CORE", hard: .max, soft: .max),
      ])
    #expect(spec.process?.oomScoreAdj == 500)
    expectError(.invalidParameter, containing: "invalid ulimit type: bogus") {
      _ = try build(settings { $0.resources.ulimits = [Ulimit(name: "bogus", soft: 1, hard: 1)] })
    }
  }

  @Test func specCarriesResources() throws {
    let spec = try build(
      settings {
        $0.resources.memory = 64 << 20; $0.resources.nanoCpus = 1_000_000_000
      })
    #expect(spec.linux?.resources?.memory?.limit == 64 << 20)
    #expect(spec.linux?.resources?.cpu?.quota == 100_000)
  }
}
