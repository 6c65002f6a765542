import Cgroups
import JSONCoding
import OCI
import Seccomp
import Testing

@testable import Runtime

struct InitConfigBinaryTests {
  /// A config with every field set, and then some left nil, so each optional is seen both ways.
  static func fullConfig() throws -> InitConfig {
    var process = OCI.Process(
      terminal: true, user: User(uid: 1000, gid: 1001, umask: 0o027, additionalGids: [5, 6]),
      args: ["sh", "-c", "echo ü ✓"], env: ["PATH=/bin", "EMPTY="], cwd: "/work",
      capabilities: Capabilities(bounding: ["CAP_KILL"], effective: [], permitted: ["CAP_KILL", "CAP_CHOWN"]),
      rlimits: [Rlimit(type: "RLIMIT_NOFILE", hard: UInt64.max, soft: 1024)], noNewPrivileges: true, oomScoreAdj: -500)
    process.consoleSize = ConsoleSize(height: 24, width: 80)
    process.user.username = "alice"
    process.commandLine = "cmd /c"
    process.apparmorProfile = "docker-default"
    process.selinuxLabel = "system_u:system_r:container_t:s0"

    var mount = OCI.Mount(destination: "/data", type: "bind", source: "vol", options: ["rbind", "ro"])
    mount.uidMappings = [IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
    var hooks = Hooks()
    hooks.createContainer = [Hook(path: "/bin/hook", args: ["hook", "a"], env: ["X=1"], timeout: 5)]
    hooks.poststop = []

    var linux = Linux()
    linux.uidMappings = [IDMapping(containerID: 0, hostID: 1000, size: 1)]
    linux.gidMappings = []
    linux.sysctl = ["net.ipv4.ip_forward": "1", "kernel.shmmax": "1"]
    linux.resources = nil
    linux.cgroupsPath = "/berth/x"
    linux.namespaces = [Namespace(type: "pid"), Namespace(type: "network", path: "/proc/1/ns/net")]
    linux.devices = [Device(path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 0o666, uid: 0, gid: 0)]
    linux.seccomp = try JSON.decode(
      Seccomp.self,
      from: Array(#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}"#.utf8)
    )
    linux.rootfsPropagation = "rslave"
    linux.maskedPaths = ["/proc/kcore"]
    linux.readonlyPaths = ["/proc/sys"]
    linux.mountLabel = "label"
    linux.personality = try JSON.decode(Personality.self, from: Array(#"{"domain":"LINUX32"}"#.utf8))

    let spec = Spec(
      ociVersion: "1.1.0", process: process, root: Root(path: "rootfs", readonly: true), hostname: "box",
      domainname: nil, mounts: [mount, OCI.Mount(destination: "/proc", type: "proc", source: "proc")], hooks: hooks,
      annotations: ["a": "b"], linux: linux)
    return InitConfig(
      mode: .create, id: "c1", bundle: "/b", rootfs: "/b/rootfs", spec: spec, process: process,
      cgroup: CgroupPlacement(mode: .hybrid, paths: ["memory": "/sys/fs/cgroup/memory/c1", "unified": "/u"]),
      hasConsoleSocket: true, preservedFDs: 2, joinNamespaces: [Namespace(type: "ipc", path: "/proc/9/ns/ipc")],
      newNamespaceFlags: 0x2002_0000, userNamespace: .create,
      hookState: ContainerState(
        ociVersion: "1.1.0", id: "c1", pid: 0, status: "creating", bundle: "/b", rootfs: "/b/rootfs",
        created: "2026-11-23T17:00:00.000000000Z", owner: "", annotations: ["a": "b"]),
      cgroupMountPoints: ["/sys/fs/cgroup/memory", "/sys/fs/cgroup/unified"],
      seccompProgram: try SeccompProgram(instructions: (0..<64).map { UInt8($0) }, flags: 2))
  }

  @Test func roundTripKeepsEveryField() throws {
    let config = try Self.fullConfig()
    let decoded = try InitConfig(binary: try config.binaryEncoded())
    #expect(decoded.spec == config.spec)
    #expect(decoded.process == config.process)
    #expect(decoded.cgroup == config.cgroup)
    #expect(decoded.hookState == config.hookState)
    #expect(decoded.joinNamespaces == config.joinNamespaces)
    #expect(decoded.mode == config.mode && decoded.id == config.id && decoded.bundle == config.bundle)
    #expect(decoded.rootfs == config.rootfs && decoded.hasConsoleSocket && decoded.preservedFDs == 2)
    #expect(decoded.newNamespaceFlags == config.newNamespaceFlags && decoded.userNamespace == .create)
    #expect(decoded.cgroupMountPoints == config.cgroupMountPoints)
    #expect(decoded.seccompProgram == config.seccompProgram)
  }

  @Test func roundTripOfEmptyOptionals() throws {
    var config = try Self.fullConfig()
    config.spec = Spec()
    config.process = OCI.Process()
    config.hookState.annotations = nil
    config.mode = .exec
    config.userNamespace = .none
    config.cgroupMountPoints = nil
    config.seccompProgram = nil
    let decoded = try InitConfig(binary: try config.binaryEncoded())
    #expect(decoded.spec == config.spec)
    #expect(decoded.process == config.process)
    #expect(decoded.hookState == config.hookState)
    #expect(decoded.cgroupMountPoints == nil)
    #expect(decoded.seccompProgram == nil)
    #expect(decoded.mode == .exec && decoded.userNamespace == InitConfig.UserNamespaceMode.none)
  }

  @Test func resourcesAreLeftOut() throws {
    var config = try Self.fullConfig()
    config.spec.linux?.resources = Resources(pids: PidsResources(limit: 5))
    let decoded = try InitConfig(binary: try config.binaryEncoded())
    #expect(decoded.spec.linux?.resources == nil)
    #expect(decoded.spec.linux?.maskedPaths == ["/proc/kcore"])
  }

  @Test func everyTruncationIsAClearError() throws {
    let bytes = try Self.fullConfig().binaryEncoded()
    for length in 0..<bytes.count {
      do {
        _ = try InitConfig(binary: Array(bytes[0..<length]))
        Issue.record("decoding \(length) of \(bytes.count) bytes succeeded")
      } catch let error as RuntimeError {
        #expect(error.description.hasPrefix("malformed init config: "))
      }
    }
  }

  @Test func corruptInputIsRejected() throws {
    let bytes = try Self.fullConfig().binaryEncoded()
    #expect(throws: RuntimeError.self) { try InitConfig(binary: Array(#"{"mode":"create"}"#.utf8)) }
    #expect(throws: RuntimeError.self) { try InitConfig(binary: bytes + [0]) }
    var badMode = bytes
    badMode[8] = UInt8(ascii: "X")  // first byte of the mode's name, after magic and length
    #expect(throws: RuntimeError.self) { try InitConfig(binary: badMode) }
    // A seccomp program of an impossible length (not whole instructions) is refused.
    var damaged = try Self.fullConfig()
    damaged.seccompProgram = nil
    var shortProgram = try damaged.binaryEncoded()
    shortProgram.removeLast()  // the seccomp optional's "absent" marker
    var programWriter = BinaryWriter()
    programWriter.bool(true)
    programWriter.uint(0)
    programWriter.blob([1, 2, 3])
    #expect(throws: SeccompError.self) { try InitConfig(binary: shortProgram + programWriter.bytes) }
    // A huge list count must fail on the bounds check, not try to reserve memory.
    var writer = BinaryWriter()
    writer.count(Int(UInt32.max))
    var reader = BinaryReader(writer.bytes, subject: "test")
    #expect(throws: RuntimeError.self) { try reader.strings() }
  }

  /// The codec lists fields by hand: a new stored property must be added to it too.
  @Test func codecCoversEveryStoredProperty() throws {
    let config = try Self.fullConfig()
    let counts: [(String, Any, Int)] = [
      ("InitConfig", config, 15), ("Spec", config.spec, 9), ("Process", config.process, 13),
      ("User", config.process.user, 5), ("Capabilities", Capabilities(), 5), ("Linux", Linux(), 13),
      ("Mount", OCI.Mount(destination: "/"), 6), ("Hooks", Hooks(), 6), ("Hook", Hook(path: "/"), 4),
      ("Device", Device(path: "/", type: "c"), 7), ("Namespace", Namespace(type: "pid"), 2),
      ("IDMapping", IDMapping(containerID: 0, hostID: 0, size: 0), 3), ("ContainerState", config.hookState, 9),
      ("Rlimit", Rlimit(type: "", hard: 0, soft: 0), 3), ("Root", Root(path: "/"), 2),
      ("ConsoleSize", ConsoleSize(height: 0, width: 0), 2), ("CgroupPlacement", config.cgroup, 2),
    ]
    for (name, value, expected) in counts {
      #expect(
        Mirror(reflecting: value).children.count == expected,
        "\(name) changed: update InitConfig+Binary.swift / InitSpecCoding.swift and this count")
    }
  }
}
