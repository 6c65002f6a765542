// Shared helpers of the integration tests: root check, scratch directories, the busybox
// rootfs tar, the built binaries, and the leak checks (mounts, cgroups, shims, state).
import Foundation
import LinuxOS

enum Integration {
  static var isRoot: Bool { getuid() == 0 }
  /// Debian's runc, for the tests that run containers with it through berthd.
  static var hasRunc: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/runc") }

  /// The repository checkout (three levels above this file).
  static var repoRoot: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
      .deletingLastPathComponent().deletingLastPathComponent().path
  }

  /// The build products directory: the test bundle's directory.
  static var productsDir: String? {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // Inside an .xctest bundle on some layouts.
    while dir.path != "/" && dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.path
  }

  static func binary(_ name: String) -> String? {
    guard let dir = productsDir else { return nil }
    let p = dir + "/" + name
    return FileManager.default.isExecutableFile(atPath: p) ? p : nil
  }

  /// Why an integration test cannot run here, or nil.
  static func missingRequirement(binaries: [String] = ["berth-runtime", "berth-shim"]) -> String? {
    if !isRoot { return "needs root" }
    if !FileManager.default.isExecutableFile(atPath: "/bin/busybox") { return "needs /bin/busybox (busybox-static)" }
    for b in binaries where binary(b) == nil { return "needs the built \(b) next to the test bundle" }
    return nil
  }

  /// Waits (bounded) for a process that was sent SIGKILL. Foundation's waitUntilExit was
  /// seen to hang when the test process's SIGCHLD went unnoticed (the child a zombie for
  /// good): a zombie counts as exited here.
  static func awaitExit(_ p: Process, seconds: Double = 20) {
    let deadline = Date().addingTimeInterval(seconds)
    while p.isRunning && Date() < deadline {
      if Processes.stateLetter(p.processIdentifier) == "Z" { return }
      usleep(20_000)
    }
    if !p.isRunning { p.waitUntilExit() }
  }

  static func tempDir(_ tag: String) -> String {
    let path = "/tmp/bt-\(tag)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    mkdir(path, 0o755)
    return path
  }

  /// Runs a command; returns (status, stdout + stderr).
  @discardableResult
  static func run(_ argv: [String], env: [String: String]? = nil, stdin: Data? = nil) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: argv[0])
    p.arguments = Array(argv.dropFirst())
    if let env { p.environment = env }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    let input = Pipe()
    p.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try p.run()
    if let stdin {
      input.fileHandleForWriting.write(stdin)
      try? input.fileHandleForWriting.close()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// Makes a busybox rootfs and tars it; returns the tar's path.
  static func busyboxTar(in dir: String) throws -> String {
    let rootfs = dir + "/busybox-rootfs"
    let (s1, o1) = try run(["/bin/sh", repoRoot + "/scripts/make-busybox-rootfs.sh", rootfs])
    guard s1 == 0 else { throw IntegrationError("make-busybox-rootfs.sh failed: \(o1)") }
    let tar = dir + "/busybox.tar"
    let (s2, o2) = try run(["/bin/tar", "-C", rootfs, "-cf", tar, "."])
    guard s2 == 0 else { throw IntegrationError("tar failed: \(o2)") }
    return tar
  }

  /// Mount points at or under `dir`, deepest first.
  static func mounts(under dir: String) -> [String] {
    let info = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    return Mounts.mountPoints(mountInfo: info).filter { $0 == dir || $0.hasPrefix(dir + "/") }
      .sorted { $0.count > $1.count }
  }

  /// Cgroup directories named after the container, in any hierarchy.
  static func cgroups(named id: String) -> [String] {
    var found: [String] = []
    let root = "/sys/fs/cgroup"
    let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    for h in hierarchies {
      let p = "\(root)/\(h)/berth/\(id)"
      if FileManager.default.fileExists(atPath: p) { found.append(p) }
    }
    if FileManager.default.fileExists(atPath: "\(root)/berth/\(id)") { found.append("\(root)/berth/\(id)") }
    return found
  }

  /// Live processes whose command line mentions `text`.
  static func processes(mentioning text: String) -> [Int32] {
    let me = getpid()
    var pids: [Int32] = []
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = Int32(entry), pid != me,
        let cmd = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
      else { continue }
      let line = String(decoding: cmd.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
      if line.contains(text) { pids.append(pid) }
    }
    return pids
  }

  /// Unmounts everything under `dir` (lazily) and removes it.
  static func destroy(_ dir: String) {
    for m in mounts(under: dir) { umount2(m, Int32(MNT_DETACH)) }
    try? FileManager.default.removeItem(atPath: dir)
    removeCgroupParent(cgroupParent(for: dir))
  }

  /// The test's own cgroup parent (berthd's --cgroup-parent), named after its temp dir,
  /// so a test never leaves cgroups behind that it did not make.
  static func cgroupParent(for dir: String) -> String {
    "/berth-test-" + (dir.split(separator: "/").last.map(String.init) ?? "x")
  }

  /// Removes the parent in every hierarchy once its containers' cgroups are gone.
  static func removeCgroupParent(_ parent: String) {
    for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
      rmdir("/sys/fs/cgroup/\(hierarchy)\(parent)")
    }
  }
}

struct IntegrationError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// A built berthd on a private socket, data root, exec root and cgroup parent, that can be
/// killed and started again on the same directories (live restore). `cleanUp()` stops the
/// berthd processes it started (by pid), deletes leftover containers through the runtime,
/// unmounts, removes the cgroup parent and the directory.
final class TestBerthd {
  static let dockerBinary = "/usr/local/bin/docker"
  let dir: String
  let socket: String
  let log: String
  /// More berthd flags (e.g. `-H tcp://…` with TLS), after the private directories.
  let extraArguments: [String]
  /// A daemon.json to start with; it must set "data-root" (then not given as a flag).
  var configFile: String?
  private(set) var process: Process?

  var dataRoot: String { dir + "/data" }
  var execRoot: String { dir + "/exec" }
  /// EngineConfig.runtimeRoot and the shims' state directories.
  var runtimeRoot: String { execRoot + "/runtime" }
  var shimsRoot: String { execRoot + "/shims" }
  var containersRoot: String { dataRoot + "/containers" }
  var cgroupParent: String { Integration.cgroupParent(for: dir) }
  var pid: Int32 { process?.processIdentifier ?? 0 }

  static var missing: String? {
    if let m = Integration.missingRequirement(binaries: ["berthd", "berth-runtime", "berth-shim"]) { return m }
    if !FileManager.default.isExecutableFile(atPath: dockerBinary) { return "needs \(dockerBinary)" }
    return nil
  }

  /// Whether berthd runs in a network namespace of its own (`unshare --net`), with its
  /// default bridge: its bridges, veths, nftables table and published ports then exist
  /// only there and go with it. Otherwise berthd runs with `--bridge none` and touches no
  /// network of the host's.
  let ownNetwork: Bool

  init(tag: String, extraArguments: [String] = [], ownNetwork: Bool = false) {
    self.extraArguments = extraArguments
    self.ownNetwork = ownNetwork
    dir = Integration.tempDir(tag)
    socket = dir + "/berth.sock"
    log = dir + "/berthd.log"
    FileManager.default.createFile(atPath: log, contents: nil)
  }

  var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

  /// Starts berthd and waits until it answers `docker version` (a socket left by a killed
  /// berthd may already exist).
  func start() throws {
    guard let berthd = Integration.binary("berthd") else { throw IntegrationError("berthd not built") }
    let p = Process()
    var arguments =
      (configFile.map { ["--config-file", $0] } ?? ["--data-root", dataRoot])
      + ["--exec-root", execRoot, "-H", "unix://" + socket, "--cgroup-parent", cgroupParent]
    if !ownNetwork && !extraArguments.contains(where: { $0.hasPrefix("--bridge") }) {
      arguments += ["--bridge", "none"]
    }
    arguments += extraArguments
    if ownNetwork {
      // nsenter execs berthd: the pid stays the one this Process knows.
      try makeNetworkNamespace()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
      p.arguments = ["--net=" + netns, "--", berthd] + arguments
    } else {
      p.executableURL = URL(fileURLWithPath: berthd)
      p.arguments = arguments
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    handle.seekToEndOfFile()
    p.standardOutput = handle
    p.standardError = handle
    try p.run()
    process = p
    for _ in 0..<200 {
      if !p.isRunning { throw IntegrationError("berthd exited with \(p.terminationStatus): \(logText)") }
      if (try? docker("version"))?.0 == 0 { return }
      usleep(50_000)
    }
    throw IntegrationError("berthd did not answer on \(socket): \(logText)")
  }

  /// berthd's network namespace with `ownNetwork`: a file under `dir`, so it outlives a
  /// killed berthd as a host does (cleanUp unmounts it, and everything in it goes).
  var netns: String { dir + "/netns" }

  private func makeNetworkNamespace() throws {
    guard !Integration.mounts(under: dir).contains(netns) else { return }
    FileManager.default.createFile(atPath: netns, contents: nil)
    var (rc, out) = try Integration.run(["/usr/bin/unshare", "--net=" + netns, "true"])
    guard rc == 0 else { throw IntegrationError("unshare --net: \(out)") }
    // A new namespace has lo down; a host's is up.
    (rc, out) = try inNetwork(["ip", "link", "set", "lo", "up"])
    guard rc == 0 else { throw IntegrationError("lo up: \(out)") }
  }

  /// Runs `argv` inside berthd's network namespace (`ownNetwork`), where its published
  /// ports and containers' addresses are.
  func inNetwork(_ argv: [String]) throws -> (Int32, String) {
    try Integration.run(["/usr/bin/timeout", "30", "/usr/bin/nsenter", "--net=" + netns, "--"] + argv)
  }

  /// SIGKILL to the berthd this started; waits for it.
  func kill9() {
    guard let p = process, p.isRunning else { return }
    kill(p.processIdentifier, SIGKILL)
    Integration.awaitExit(p)
  }

  var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["DOCKER_HOST"] = "unix://" + socket
    env["DOCKER_CONFIG"] = dir + "/docker-config"
    return env
  }

  @discardableResult
  func docker(_ args: String..., stdin: Data? = nil) throws -> (Int32, String) {
    try docker(args, stdin: stdin)
  }

  @discardableResult
  func docker(_ args: [String], stdin: Data? = nil) throws -> (Int32, String) {
    try Integration.run(["/usr/bin/timeout", "60", Self.dockerBinary] + args, env: environment, stdin: stdin)
  }

  /// Imports busybox:latest from a rootfs tar made by scripts/make-busybox-rootfs.sh.
  func importBusybox() throws {
    let tar = try Integration.busyboxTar(in: dir)
    let (rc, out) = try docker("import", tar, "busybox:latest")
    guard rc == 0 else { throw IntegrationError("docker import: \(out)") }
  }

  // MARK: what a container may leave behind

  /// Mount points under the data and exec roots.
  var leftoverMounts: [String] { Integration.mounts(under: dataRoot) + Integration.mounts(under: execRoot) }

  /// Cgroup directories under the cgroup parent, in every hierarchy.
  var leftoverCgroups: [String] {
    var found: [String] = []
    let root = "/sys/fs/cgroup"
    for h in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
      let parent = root + "/" + h + cgroupParent
      guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { continue }
      for e in entries {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: parent + "/" + e, isDirectory: &isDir), isDir.boolValue {
          found.append(parent + "/" + e)
        }
      }
    }
    return found
  }

  /// berth-shim processes whose state directory is under this exec root.
  /// (The running shim is `berth-shim --state-dir <shimsRoot>/<id>`.)
  var shimProcesses: [Int32] {
    Integration.processes(mentioning: "--state-dir " + shimsRoot + "/").filter { pid in
      let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
      return String(decoding: cmd.prefix(while: { $0 != 0 }), as: UTF8.self).hasSuffix("berth-shim")
    }
  }

  static func entries(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
  }

  /// Per-container runtime state (the runtime's own `.empty` layer is not one).
  var runtimeStates: [String] { Self.entries(runtimeRoot).filter { !$0.hasPrefix(".") } }
  var shimStates: [String] { Self.entries(shimsRoot) }
  var containerDirs: [String] { Self.entries(containersRoot).filter { ![".trash", ".spares"].contains($0) } }
  /// Removed containers' directories and snapshots not yet deleted in the background.
  var trash: [String] {
    Self.entries(containersRoot + "/.trash") + Self.entries(dataRoot + "/image/snapshots/trash")
  }

  /// Open fds of the running berthd.
  var openFDs: Int { Self.entries("/proc/\(pid)/fd").count }

  /// Everything left, described; empty when clean.
  func leftovers() -> [String] {
    var out: [String] = []
    if !leftoverMounts.isEmpty { out.append("mounts: \(leftoverMounts)") }
    if !leftoverCgroups.isEmpty { out.append("cgroups: \(leftoverCgroups)") }
    if !shimProcesses.isEmpty { out.append("shim processes: \(shimProcesses)") }
    if !runtimeStates.isEmpty { out.append("runtime state: \(runtimeStates)") }
    if !shimStates.isEmpty { out.append("shim state: \(shimStates)") }
    if !containerDirs.isEmpty { out.append("container dirs: \(containerDirs)") }
    if !trash.isEmpty { out.append("trash: \(trash)") }
    return out
  }

  /// Waits up to `seconds` for `leftovers()` to be empty; returns what is still left.
  func waitForNoLeftovers(seconds: Double = 10) -> [String] {
    let deadline = Date().addingTimeInterval(seconds)
    var left = leftovers()
    while !left.isEmpty && Date() < deadline {
      usleep(100_000)
      left = leftovers()
    }
    return left
  }

  func cleanUp() {
    if let p = process, p.isRunning {
      kill(p.processIdentifier, SIGTERM)
      for _ in 0..<100 where p.isRunning { usleep(50_000) }
      if p.isRunning { kill(p.processIdentifier, SIGKILL) }
      Integration.awaitExit(p)
    }
    if let runtime = Integration.binary("berth-runtime") {
      for id in runtimeStates {
        _ = try? Integration.run([runtime, "--root", runtimeRoot, "delete", "-f", id])
      }
    }
    // Containers berthd ran with other runtimes (runc), each under its own root.
    for name in Self.entries(execRoot + "/runtimes") {
      let root = execRoot + "/runtimes/" + name
      for id in Self.entries(root) where !id.hasPrefix(".") {
        _ = try? Integration.run(["/usr/sbin/" + name, "--root", root, "delete", "-f", id])
      }
    }
    // Shims exit once their container is gone.
    for _ in 0..<50 where !shimProcesses.isEmpty { usleep(100_000) }
    for m in Integration.mounts(under: dir) { umount2(m, Int32(MNT_DETACH)) }
    for cg in leftoverCgroups.sorted(by: { $0.count > $1.count }) { rmdir(cg) }
    Integration.destroy(dir)
  }
}
