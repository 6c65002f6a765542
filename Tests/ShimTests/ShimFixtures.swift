import Foundation
import LinuxOS
import Shim
import Testing

/// Test plumbing: the built binaries, busybox bundles, and a sandbox per test that
/// deletes its container, kills its shims and removes its files even on failure.
enum ShimFixtures {
  static var isRoot: Bool { getuid() == 0 }
  static var hasBusybox: Bool { FileManager.default.isExecutableFile(atPath: "/bin/busybox") }
  static var canRunContainers: Bool { isRoot && hasBusybox }

  static var runtimeBinary: String { binary("berth-runtime", env: "BERTH_RUNTIME") }
  static var shimBinary: String { binary("berth-shim", env: "BERTH_SHIM") }

  /// `name` next to the test bundle (the build products directory), or $env.
  static func binary(_ name: String, env: String) -> String {
    if let path = ProcessInfo.processInfo.environment[env] { return path }
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return exe.deletingLastPathComponent().appendingPathComponent(name).path
  }

  /// Runs a program to completion; returns its status and stdout.
  @discardableResult
  static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// Whether `pid` runs: a zombie (an exited shim not yet reaped by whichever ancestor
  /// adopted it, e.g. a subreaping test runner) does not count.
  static func isRunning(_ pid: Int32) -> Bool {
    Processes.isAlive(pid) && (Processes.stateLetter(pid).map { $0 != "Z" && $0 != "X" } ?? false)
  }

  /// Polls until `condition` holds or `timeout` seconds pass.
  static func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition() { return true }
      usleep(10_000)
    }
    return condition()
  }
}

/// One container's bundle, runtime root, shim state directory and log, in a short temp
/// path (unix socket paths are limited to 107 bytes).
final class ShimSandbox {
  let directory: String
  let bundle: String
  let rootfs: String
  let stateDir: String
  let runtimeRoot: String
  let logPath: String
  let id: String
  var shimPIDs: [Int32] = []

  init(_ name: String) throws {
    let suffix = UUID().uuidString.prefix(8).lowercased()
    directory = "/tmp/bshim-\(name)-\(suffix)"
    bundle = directory + "/bundle"
    rootfs = bundle + "/rootfs"
    stateDir = directory + "/state"
    runtimeRoot = directory + "/rt"
    logPath = directory + "/log/ctr-json.log"
    id = "shim-\(name)-\(suffix)"
    try Self.makeBusyboxRootfs(at: rootfs)
  }

  var client: ShimClient { ShimClient.connect(stateDir: stateDir) }

  /// config.json from `berth-runtime spec`, with no terminal (unless asked), an absolute
  /// root path and `args`.
  func writeSpec(_ args: [String], terminal: Bool = false) throws {
    let path = bundle + "/config.json"
    try? FileManager.default.removeItem(atPath: path)
    let generated = try ShimFixtures.run(ShimFixtures.runtimeBinary, ["spec", "--bundle", bundle])
    #expect(generated.status == 0)
    var spec =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    var process = spec["process"] as? [String: Any] ?? [:]
    process["terminal"] = terminal
    process["args"] = args
    spec["process"] = process
    var root = spec["root"] as? [String: Any] ?? [:]
    root["path"] = rootfs
    spec["root"] = root
    try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
  }

  /// The bundle's process with other args, as an exec process JSON file.
  func writeExecProcess(_ args: [String], terminal: Bool = false) throws -> String {
    let spec =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle + "/config.json")))
      as? [String: Any] ?? [:]
    var process = spec["process"] as? [String: Any] ?? [:]
    process["args"] = args
    process["terminal"] = terminal
    let path = directory + "/exec-\(UUID().uuidString.prefix(6)).json"
    try JSONSerialization.data(withJSONObject: process).write(to: URL(fileURLWithPath: path))
    return path
  }

  func config(
    terminal: Bool = false, openStdin: Bool = false, stdinOnce: Bool = false, maxSize: Int64 = 0, maxFiles: Int = 1
  ) -> ShimConfig {
    ShimConfig(
      id: id, bundle: bundle, runtime: ShimFixtures.runtimeBinary, runtimeRoot: runtimeRoot, stateDir: stateDir,
      logPath: logPath, terminal: terminal, openStdin: openStdin, stdinOnce: stdinOnce, logMaxSize: maxSize,
      logMaxFiles: maxFiles)
  }

  func launch(_ config: ShimConfig) throws -> ShimProcess {
    let shim = try ShimClient.launch(config, shimBinary: ShimFixtures.shimBinary)
    shimPIDs.append(shim.pid)
    return shim
  }

  /// The log's entries as (log, stream) pairs.
  func logEntries(_ path: String? = nil) throws -> [(log: String, stream: String, time: String)] {
    let text = try String(contentsOfFile: path ?? logPath, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] ?? [:]
      return (object["log"] ?? "", object["stream"] ?? "", object["time"] ?? "")
    }
  }

  func cleanup() {
    _ = try? ShimFixtures.run(ShimFixtures.runtimeBinary, ["--root", runtimeRoot, "delete", "--force", id])
    for pid in shimPIDs where Processes.isAlive(pid) {
      // Only our own shim: its state dir is on its command line.
      let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
      if cmdline.contains(stateDir) { kill(pid, SIGKILL) }
    }
    let mounts = (try? Files.readString("/proc/self/mountinfo")) ?? ""
    for line in mounts.split(separator: "\n").reversed() {
      let fields = line.split(separator: " ")
      if fields.count > 4, fields[4].hasPrefix(directory) { umount2(String(fields[4]), Int32(MNT_DETACH)) }
    }
    try? FileManager.default.removeItem(atPath: directory)
  }

  static func makeBusyboxRootfs(at path: String) throws {
    let fm = FileManager.default
    for dir in ["bin", "proc", "sys", "dev", "etc", "tmp", "root"] {
      try fm.createDirectory(atPath: "\(path)/\(dir)", withIntermediateDirectories: true)
    }
    try fm.copyItem(atPath: "/bin/busybox", toPath: "\(path)/bin/busybox")
    let applets = try ShimFixtures.run("/bin/busybox", ["--list"]).stdout.split(separator: "\n")
    for applet in applets where applet != "busybox" {
      try? fm.createSymbolicLink(atPath: "\(path)/bin/\(applet)", withDestinationPath: "busybox")
    }
    try "root:x:0:0:root:/root:/bin/sh\n".write(toFile: "\(path)/etc/passwd", atomically: true, encoding: .utf8)
    try "root:x:0:\n".write(toFile: "\(path)/etc/group", atomically: true, encoding: .utf8)
  }
}

extension ShimAttachment {
  /// Everything a stream carried, per stream, until it ended.
  func collect() throws -> (stdout: String, stderr: String) {
    var out: [UInt8] = []
    var err: [UInt8] = []
    for chunk in try readAll() {
      if chunk.stream == .stdout { out += chunk.bytes } else { err += chunk.bytes }
    }
    return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
  }

  /// Reads until the stdout seen so far contains `text` (or the stream ends).
  func readUntil(_ text: String) throws -> String {
    var seen: [UInt8] = []
    while !String(decoding: seen, as: UTF8.self).contains(text), let chunk = try read() { seen += chunk.bytes }
    return String(decoding: seen, as: UTF8.self)
  }
}

extension ShimAttachment {
  /// Makes reads fail instead of hanging when a test goes wrong.
  func setReadTimeout(seconds: Int = 20) {
    var tv = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
  }
}
