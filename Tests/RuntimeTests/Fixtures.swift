import Foundation
import LinuxOS
import OCI
import Testing

/// Shared test plumbing: the built binary, busybox bundles, running commands.
enum Fixtures {
  static var isRoot: Bool { getuid() == 0 }

  /// berth-runtime next to the test bundle (the build products directory), or $BERTH_RUNTIME.
  static var runtimeBinary: String {
    if let path = ProcessInfo.processInfo.environment["BERTH_RUNTIME"] { return path }
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("berth-runtime").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return exe.deletingLastPathComponent().appendingPathComponent("berth-runtime").path
  }

  static var hasRunc: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/runc") }
  static var hasBusybox: Bool { FileManager.default.isExecutableFile(atPath: "/bin/busybox") }
  static var canRunContainers: Bool { isRoot && hasBusybox }

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs a program to completion with a timeout; stdin is /dev/null unless given.
  @discardableResult
  static func run(
    _ path: String, _ arguments: [String], stdin: String? = nil, cwd: String? = nil, timeout: TimeInterval = 60
  ) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    // Files rather than pipes: nothing has to drain them concurrently.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("berth-out-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: scratch.path + ".out", contents: nil)
    FileManager.default.createFile(atPath: scratch.path + ".err", contents: nil)
    defer {
      try? FileManager.default.removeItem(atPath: scratch.path + ".out")
      try? FileManager.default.removeItem(atPath: scratch.path + ".err")
    }
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".out"))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".err"))
    defer {
      try? out.close()
      try? err.close()
    }
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    if let stdin {
      input.fileHandleForWriting.write(Data(stdin.utf8))
      try? input.fileHandleForWriting.close()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    let stdoutData = (try? Data(contentsOf: URL(fileURLWithPath: scratch.path + ".out"))) ?? Data()
    let stderrData = (try? Data(contentsOf: URL(fileURLWithPath: scratch.path + ".err"))) ?? Data()
    return Output(
      status: process.terminationReason == .uncaughtSignal
        ? 128 + process.terminationStatus : process.terminationStatus,
      stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
  }

  static func runtime(
    _ arguments: [String], root: String, cwd: String? = nil, stdin: String? = nil, timeout: TimeInterval = 60
  ) throws -> Output {
    try run(runtimeBinary, ["--root", root] + arguments, stdin: stdin, cwd: cwd, timeout: timeout)
  }

  static func runc(_ arguments: [String], root: String, cwd: String? = nil) throws -> Output {
    try run("/usr/sbin/runc", ["--root", root] + arguments, cwd: cwd)
  }
}

/// A temporary bundle with its own busybox rootfs; removed (with any mounts under it) by `cleanup`.
final class TestBundle {
  let directory: String
  let rootfs: String
  let stateRoot: String
  var spec: Spec

  init(name: String = "bundle") throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "berth-rt-\(name)-\(UUID().uuidString.prefix(8))")
    directory = base.path
    rootfs = directory + "/rootfs"
    stateRoot = directory + "/state"
    spec = TestBundle.defaultSpec(rootfs: rootfs)
    try TestBundle.makeBusyboxRootfs(at: rootfs)
  }

  /// The same defaults `runc spec` writes, with an absolute rootfs and no terminal.
  static func defaultSpec(rootfs: String) -> Spec {
    let caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    let process = OCI.Process(
      terminal: false, user: User(uid: 0, gid: 0), args: ["sh"],
      env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"], cwd: "/",
      capabilities: Capabilities(bounding: caps, effective: caps, permitted: caps, ambient: caps),
      rlimits: [Rlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)], noNewPrivileges: true)
    var linux = Linux()
    linux.resources = Resources(devices: [DeviceCgroupRule(allow: false, access: "rwm")])
    linux.namespaces = ["pid", "network", "ipc", "uts", "mount"].map { Namespace(type: $0) }
    linux.maskedPaths = [
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
      "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
    ]
    linux.readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
    let mounts = [
      Mount(destination: "/proc", type: "proc", source: "proc"),
      Mount(
        destination: "/dev", type: "tmpfs", source: "tmpfs",
        options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
      Mount(
        destination: "/dev/pts", type: "devpts", source: "devpts",
        options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
      Mount(
        destination: "/dev/shm", type: "tmpfs", source: "shm",
        options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
      Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
      Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
      Mount(
        destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
        options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
    ]
    return Spec(
      ociVersion: "1.0.2", process: process, root: Root(path: rootfs, readonly: true), hostname: "runc", mounts: mounts,
      linux: linux)
  }

  static func makeBusyboxRootfs(at path: String) throws {
    let fm = FileManager.default
    for dir in ["bin", "proc", "sys", "dev", "etc", "tmp", "root"] {
      try fm.createDirectory(atPath: "\(path)/\(dir)", withIntermediateDirectories: true)
    }
    try fm.copyItem(atPath: "/bin/busybox", toPath: "\(path)/bin/busybox")
    let applets = try Fixtures.run("/bin/busybox", ["--list"]).stdout.split(separator: "\n")
    for applet in applets where applet != "busybox" {
      try? fm.createSymbolicLink(atPath: "\(path)/bin/\(applet)", withDestinationPath: "busybox")
    }
    try "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".write(
      toFile: "\(path)/etc/passwd", atomically: true, encoding: .utf8)
    try "root:x:0:\nnobody:x:65534:\n".write(toFile: "\(path)/etc/group", atomically: true, encoding: .utf8)
    chmod("\(path)/tmp", 0o1777)
  }

  func write(args: [String]? = nil) throws {
    if let args { spec.process?.args = args }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(spec).write(to: URL(fileURLWithPath: directory + "/config.json"))
  }

  /// Deletes every container this bundle's state root knows, unmounts leftovers, removes the files.
  func cleanup() {
    for root in [stateRoot, stateRoot + "-runc"] {
      if let ids = try? FileManager.default.contentsOfDirectory(atPath: root) {
        for id in ids where !id.hasPrefix(".") {
          _ = try? Fixtures.runtime(["delete", "--force", id], root: root)
          _ = try? Fixtures.runc(["delete", "--force", id], root: root)
        }
      }
    }
    let mounts = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    for line in mounts.split(separator: "\n").reversed() {
      let fields = line.split(separator: " ")
      if fields.count > 4, fields[4].hasPrefix(directory) { umount2(String(fields[4]), Int32(MNT_DETACH)) }
    }
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// The test's container id, unique across parallel tests.
  static func uniqueID(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }
}

/// Every cgroup directory named after `id`, in any hierarchy, at any depth the runtime uses.
func cgroupDirectories(named id: String) -> [String] {
  var found: [String] = []
  let fm = FileManager.default
  let base = "/sys/fs/cgroup"
  for hierarchy in (try? fm.contentsOfDirectory(atPath: base)) ?? [] {
    if let enumerator = fm.enumerator(atPath: "\(base)/\(hierarchy)") {
      while let entry = enumerator.nextObject() as? String {
        if entry.hasSuffix("/\(id)") || entry == id { found.append("\(base)/\(hierarchy)/\(entry)") }
        if entry.split(separator: "/").count > 3 { enumerator.skipDescendants() }
      }
    }
  }
  return found
}
