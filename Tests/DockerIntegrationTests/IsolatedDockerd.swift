import Foundation
import LinuxOS

/// A dockerd of the test's own: every path (data, exec root, socket, pid file, its
/// managed containerd, the runtime state) lives under one temporary directory, with its
/// own containerd namespace and cgroup parent, so it never meets another dockerd.
/// `berth` is registered as an extra runtime pointing at the built berth-runtime.
final class IsolatedDockerd: @unchecked Sendable {
  @TaskLocal static var current: IsolatedDockerd?

  struct StartError: Error, CustomStringConvertible {
    var description: String
  }

  let runtimePath: String
  let dockerdPath: String
  let dockerCLI: String
  let root: String
  /// Unique per run: containerd namespace and cgroup parent.
  let name: String
  var socket: String { "\(root)/d.sock" }
  var execRoot: String { "\(root)/exec" }
  var dataRoot: String { "\(root)/data" }
  var logPath: String { "\(root)/dockerd.log" }
  /// Where the containerd shim keeps the runtime's state (`--root` of berth-runtime).
  var runtimeStateRoot: String { "\(execRoot)/runtime-runc/\(name)" }

  private let lock = NSLock()
  private var process: Process?
  private var createdHostPaths: [String] = []
  private(set) var storageDriver = ""

  init(runtimePath: String, dockerdPath: String, dockerCLI: String) throws {
    self.runtimePath = runtimePath
    self.dockerdPath = dockerdPath
    self.dockerCLI = dockerCLI
    // Short: the containerd socket path below it must fit in sun_path (108 bytes).
    var template = Array("/tmp/berth-dt.XXXXXX".utf8CString)
    guard
      let made = template.withUnsafeMutableBufferPointer({ buffer in
        buffer.baseAddress.flatMap { mkdtemp($0) }
      })
    else {
      throw StartError(description: "mkdtemp /tmp/berth-dt.XXXXXX failed: errno \(errno)")
    }
    root = String(cString: made)
    let suffix = root.split(separator: ".").last.map(String.init) ?? "x"
    name = "berth-test-\(suffix.lowercased())"
  }

  /// The environment for docker CLI commands: this daemon, a private CLI config dir.
  var clientEnvironment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["DOCKER_HOST"] = "unix://\(socket)"
    env["DOCKER_CONFIG"] = "\(root)/cli"
    env.removeValue(forKey: "DOCKER_CONTEXT")
    env.removeValue(forKey: "DOCKER_TLS_VERIFY")
    return env
  }

  // MARK: Start

  /// Starts dockerd with overlay2, or vfs when overlay2 does not work here.
  func start() throws {
    // Paths outside the temporary directory that dockerd 20.10 creates on its own;
    // removed at shutdown if they did not exist before (and are empty).
    for path in ["/run/docker/plugins", "/run/docker", "/run/containerd/s", "/run/containerd"]
    where !FileManager.default.fileExists(atPath: path) {
      createdHostPaths.append(path)
    }
    var failures: [String] = []
    for driver in ["overlay2", "vfs"] {
      do {
        try launch(storageDriver: driver)
        storageDriver = driver
        return
      } catch {
        failures.append("\(driver): \(error)")
        stopDaemon()
        try? FileManager.default.removeItem(atPath: dataRoot)
      }
    }
    throw StartError(description: "dockerd did not start:\n" + failures.joined(separator: "\n"))
  }

  private func launch(storageDriver driver: String) throws {
    let fm = FileManager.default
    for dir in [dataRoot, execRoot, "\(root)/cli"] {
      try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    // Its own config file (not /etc/docker/daemon.json), and the trust key kept here
    // rather than in /etc/docker/key.json.
    let config = #"{"deprecated-key-path": "\#(root)/key.json"}"#
    try Data(config.utf8).write(to: URL(fileURLWithPath: "\(root)/daemon.json"))
    fm.createFile(atPath: logPath, contents: nil)
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    defer { try? log.close() }
    try log.seekToEnd()

    let process = Process()
    process.executableURL = URL(fileURLWithPath: dockerdPath)
    process.arguments = [
      "--config-file", "\(root)/daemon.json",
      "--data-root", dataRoot,
      "--exec-root", execRoot,
      "--pidfile", "\(root)/d.pid",
      "-H", "unix://\(socket)",
      "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--ip-forward=false",
      "--bridge=none",
      "--storage-driver=\(driver)",
      "--containerd-namespace", name,
      "--containerd-plugins-namespace", "\(name)-plugins",
      "--cgroup-parent", name,
      "--add-runtime", "berth=\(runtimePath)",
    ]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = log
    process.standardError = log
    try process.run()
    lock.withLock { self.process = process }

    let deadline = Date().addingTimeInterval(45)
    while Date() < deadline {
      guard process.isRunning else {
        throw StartError(
          description: "dockerd exited with \(process.terminationStatus); log:\n\(logTail())")
      }
      if let ping = try? docker(["version", "--format", "{{.Server.Version}}"], timeout: 10),
        ping.status == 0
      {
        return
      }
      usleep(200_000)
    }
    throw StartError(description: "dockerd was not ready after 45 s; log:\n\(logTail())")
  }

  func logTail(lines: Int = 40) -> String {
    let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(
      separator: "\n")
  }

  // MARK: Commands

  func docker(_ arguments: [String], timeout: TimeInterval = 60) throws -> CommandResult {
    try Command.run(dockerCLI, arguments, environment: clientEnvironment, timeout: timeout)
  }

  /// `berth-runtime --root <the shim's state root> …`: what the runtime itself thinks.
  func runtime(_ arguments: [String]) throws -> CommandResult {
    try Command.run(runtimePath, ["--root", runtimeStateRoot] + arguments, timeout: 30)
  }

  // MARK: Shutdown

  /// Removes every container, stops dockerd (SIGTERM to its pid, then SIGKILL), kills any
  /// process still running from this directory (shims this dockerd started), unmounts
  /// whatever is left below the directory, removes its cgroups and the directory.
  /// Returns what it could not clean up.
  @discardableResult
  func shutdown() -> [String] {
    var problems: [String] = []
    let running = lock.withLock { process?.isRunning ?? false }
    if running {
      if let ids = try? docker(["ps", "-aq"], timeout: 30), ids.status == 0 {
        let list = ids.stdout.split(whereSeparator: \.isNewline).map(String.init)
        if !list.isEmpty, let removed = try? docker(["rm", "-f"] + list, timeout: 60),
          removed.status != 0
        {
          problems.append("docker rm -f failed: \(removed)")
        }
      }
    }
    stopDaemon()
    problems += killLeftoverProcesses()
    problems += unmountAll()
    problems += removeCgroups()
    do {
      try FileManager.default.removeItem(atPath: root)
    } catch {
      problems.append("could not remove \(root): \(error)")
    }
    for path in createdHostPaths { rmdir(path) }  // only if empty
    return problems
  }

  private func stopDaemon() {
    guard let process = lock.withLock({ self.process }) else { return }
    lock.withLock { self.process = nil }
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(20)
    while process.isRunning && Date() < deadline { usleep(50_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
  }

  /// Processes whose command line names this directory were started by this dockerd
  /// (its containerd, shims); nothing else is touched.
  private func killLeftoverProcesses() -> [String] {
    var problems: [String] = []
    let me = getpid()
    for pid in Self.processes(mentioning: root) where pid != me {
      problems.append("killed leftover process \(pid): \(Self.commandLine(pid))")
      kill(pid, SIGKILL)
    }
    return problems
  }

  static func processes(mentioning text: String) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> pid_t? in
      guard let pid = pid_t(entry), commandLine(pid).contains(text) else { return nil }
      return pid
    }
  }

  static func commandLine(_ pid: pid_t) -> String {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
    return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
  }

  /// Lazily unmounts every mount point at or below the directory, deepest first.
  private func unmountAll() -> [String] {
    var problems: [String] = []
    for _ in 0..<3 {
      let points = Self.mountPoints(under: root)
      if points.isEmpty { return problems }
      for point in points.sorted(by: { $0.count > $1.count }) {
        if umount2(point, Int32(MNT_DETACH)) != 0 && errno != EINVAL && errno != ENOENT {
          problems.append("umount \(point): errno \(errno)")
        }
      }
    }
    return problems
  }

  static func mountPoints(under directory: String) -> [String] {
    let text = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    return text.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ")
      guard fields.count > 4 else { return nil }
      let point = unescapeMountPath(String(fields[4]))
      return point == directory || point.hasPrefix(directory + "/") ? point : nil
    }
  }

  /// mountinfo escapes space, tab, newline and backslash as \ooo.
  static func unescapeMountPath(_ path: String) -> String {
    var result = ""
    var chars = path.makeIterator()
    while let c = chars.next() {
      guard c == "\\" else {
        result.append(c)
        continue
      }
      var octal = ""
      for _ in 0..<3 { if let d = chars.next() { octal.append(d) } }
      if let value = UInt8(octal, radix: 8) { result.append(Character(UnicodeScalar(value))) }
    }
    return result
  }

  /// The cgroup parent `name` in every hierarchy (absolute, and below this process's own
  /// cgroup, where hybrid setups nest it), children first.
  private func removeCgroups() -> [String] {
    var problems: [String] = []
    let mountinfo = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    let mounts = mountinfo.split(separator: "\n").compactMap { line -> String? in
      guard let dash = line.range(of: " - ") else { return nil }
      let type = line[dash.upperBound...].split(separator: " ").first ?? ""
      guard type == "cgroup" || type == "cgroup2" else { return nil }
      let fields = line.split(separator: " ")
      return fields.count > 4 ? Self.unescapeMountPath(String(fields[4])) : nil
    }
    let own = ((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "")
      .split(separator: "\n").compactMap { line -> String? in
        let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 ? String(parts[2]) : nil
      }
    var candidates = Set<String>()
    for mount in mounts {
      candidates.insert("\(mount)/\(name)")
      for path in own where path != "/" { candidates.insert("\(mount)\(path)/\(name)") }
    }
    for parent in candidates where FileManager.default.fileExists(atPath: parent) {
      let children = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
        .map { "\(parent)/\($0)" }
        .filter {
          var isDir: ObjCBool = false
          return FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && isDir.boolValue
        }
      for child in children where rmdir(child) != 0 {
        problems.append(
          "rmdir \(child): errno \(errno) (a container cgroup the runtime left behind)")
      }
      if rmdir(parent) != 0 { problems.append("rmdir \(parent): errno \(errno)") }
    }
    return problems
  }
}
