// Shared helpers of the integration tests: root check, scratch directories, the busybox
// rootfs tar, the built binaries, and the leak checks (mounts, cgroups, shims, state).
import Foundation
import LinuxOS

enum Integration {
  static var isRoot: Bool { getuid() == 0 }

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
    let info = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
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
