// Images through the real docker CLI against the built berthd: commit, export, diff,
// system df, image prune; and interop both ways with a real, isolated dockerd (docker save
// in one engine, docker load and run in the other).
import Foundation
import Testing

@Suite(.serialized) struct ImageInteropTests {
  static let dockerd = "/usr/sbin/dockerd"

  @Test(.enabled(if: DockerCLITests.missing == nil, "needs root, busybox, docker and the built binaries"))
  func commitExportDiffDfPrune() throws {
    let d = try DockerCLITests.Daemon()
    defer { d.stop() }
    let tar = try Integration.busyboxTar(in: d.dir)
    var (rc, out) = try d.docker("import", tar, "busybox:latest")
    try #require(rc == 0, "docker import: \(out)")

    // A container that adds, changes and deletes files.
    (rc, out) = try d.docker(
      "run", "--name", "c1", "busybox", "sh", "-c",
      "echo hello > /added && rm /bin/ls && mkdir /newdir && echo x > /newdir/f && echo y >> /etc/passwd")
    try #require(rc == 0, "docker run: \(out)")

    // docker diff
    (rc, out) = try d.docker("diff", "c1")
    #expect(rc == 0, "docker diff: \(out)")
    let lines = Set(out.split(separator: "\n").map(String.init))
    for want in ["A /added", "D /bin/ls", "C /bin", "A /newdir", "A /newdir/f", "C /etc", "C /etc/passwd"] {
      #expect(lines.contains(want), "docker diff lacks \(want): \(out)")
    }
    #expect(!lines.contains("A /bin/sh") && !lines.contains("C /bin/sh"), "docker diff: \(out)")

    // docker commit (with a change and a message), then the image runs with the change.
    (rc, out) = try d.docker("commit", "-c", "ENV FOO=bar", "-m", "added a file", "-a", "tester", "c1", "committed:v1")
    #expect(rc == 0 && out.hasPrefix("sha256:"), "docker commit: \(out)")
    (rc, out) = try d.docker(
      "run", "--rm", "committed:v1", "sh", "-c", "cat /added; cat /newdir/f; echo $FOO; test -e /bin/ls || echo gone")
    #expect(rc == 0 && out == "hello\nx\nbar\ngone\n", "run committed image: \(rc) \(out)")
    (rc, out) = try d.docker(
      "image", "inspect", "-f", "{{.Author}}|{{.Comment}}|{{len .RootFS.Layers}}", "committed:v1")
    #expect(rc == 0 && out == "tester|added a file|2\n", "inspect committed: \(out)")
    (rc, out) = try d.docker("history", "committed:v1")
    #expect(rc == 0 && out.contains("added a file"), "history: \(out)")

    // docker export: the merged filesystem.
    let exported = d.dir + "/c1-export.tar"
    (rc, out) = try d.docker("export", "-o", exported, "c1")
    #expect(rc == 0, "docker export: \(out)")
    (rc, out) = try Integration.run(["/bin/tar", "-tf", exported])
    let entries = Set(out.split(separator: "\n").map { String($0.hasPrefix("./") ? $0.dropFirst(2) : $0[...]) })
    #expect(
      rc == 0 && entries.contains("added") && entries.contains("bin/sh") && entries.contains("newdir/f"), "\(out)")
    #expect(!entries.contains("bin/ls"), "export still holds the deleted /bin/ls")
    (rc, out) = try Integration.run(["/bin/tar", "-xOf", exported, "added"])
    #expect(rc == 0 && out == "hello\n", "exported /added: \(out)")
    // Export of a running container too, through stdout.
    (rc, out) = try d.docker("run", "-d", "--name", "c2", "busybox", "sh", "-c", "echo run > /r; sleep 1000")
    #expect(rc == 0, "run -d: \(out)")
    usleep(300_000)
    (rc, out) = try Integration.run(
      ["/bin/sh", "-c", "\(DockerCLITests.dockerBinary) export c2 | /bin/tar -xOf - r"], env: d.environment)
    #expect(rc == 0 && out == "run\n", "export of a running container: \(out)")
    (rc, out) = try d.docker("rm", "-f", "c2")
    #expect(rc == 0, "rm -f c2: \(out)")

    // docker system df
    (rc, out) = try d.docker("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}")
    #expect(rc == 0, "system df: \(out)")
    #expect(out.contains("Images 2 1") && out.contains("Containers 1 0") && out.contains("Local Volumes 0 0"), "\(out)")
    (rc, out) = try d.docker("system", "df", "-v")
    #expect(rc == 0 && out.contains("committed") && out.contains("c1"), "system df -v: \(out)")

    // docker image prune: only dangling images, unless -a.
    (rc, out) = try d.docker("commit", "c1")
    #expect(rc == 0 && out.hasPrefix("sha256:"), "commit without a name: \(out)")
    let dangling = out.trimmingCharacters(in: .whitespacesAndNewlines)
    (rc, out) = try d.docker("images", "-q", "--filter", "dangling=true", "--no-trunc")
    #expect(rc == 0 && out.contains(dangling), "dangling images: \(out)")
    (rc, out) = try d.docker("image", "prune", "-f")
    #expect(rc == 0 && out.contains("deleted: \(dangling)") && out.contains("Total reclaimed space"), "prune: \(out)")
    (rc, out) = try d.docker("images", "--format", "{{.Repository}}:{{.Tag}}")
    #expect(rc == 0 && out.contains("committed:v1") && out.contains("busybox:latest"), "after prune: \(out)")
    // -a removes unused tagged images; busybox stays while c1 uses it.
    (rc, out) = try d.docker("image", "prune", "-a", "-f")
    #expect(rc == 0 && out.contains("untagged: committed:v1"), "prune -a: \(out)")
    (rc, out) = try d.docker("images", "--format", "{{.Repository}}:{{.Tag}}")
    #expect(rc == 0 && out == "busybox:latest\n", "after prune -a: \(out)")
    (rc, out) = try d.docker("rm", "c1")
    #expect(rc == 0, "rm c1: \(out)")
    (rc, out) = try d.docker("image", "prune", "-a", "-f")
    (rc, out) = try d.docker("images", "-q")
    #expect(rc == 0 && out.isEmpty, "after the last prune: \(out)")
  }

  static var interopMissing: String? {
    if let m = DockerCLITests.missing { return m }
    if !FileManager.default.isExecutableFile(atPath: dockerd) { return "dockerd is not installed (\(dockerd))" }
    return nil
  }

  @Test(.enabled(if: ImageInteropTests.interopMissing == nil, "needs a real dockerd (/usr/sbin/dockerd), root, docker"))
  func interopWithRealDockerd() throws {
    let real = try InteropDockerd()
    defer {
      let problems = real.shutdown()
      if !problems.isEmpty { Issue.record("dockerd cleanup: \(problems)") }
    }
    try real.start()
    let berth = try DockerCLITests.Daemon()
    defer { berth.stop() }
    let tar = try Integration.busyboxTar(in: berth.dir)

    // dockerd → berthd: import, commit a file, save; load into berthd and run.
    var (rc, out) = try real.docker(["import", tar, "bbx:1"])
    try #require(rc == 0, "dockerd import: \(out)")
    (rc, out) = try real.docker([
      "run", "--network", "none", "--name", "mk", "bbx:1", "sh", "-c", "echo from-dockerd > /added",
    ])
    try #require(rc == 0, "dockerd run: \(out)\n\(real.logTail())")
    (rc, out) = try real.docker(["commit", "mk", "fromdockerd:1"])
    try #require(rc == 0, "dockerd commit: \(out)")
    let fromDockerd = real.root + "/fromdockerd.tar"
    (rc, out) = try real.docker(["save", "-o", fromDockerd, "fromdockerd:1"])
    try #require(rc == 0, "dockerd save: \(out)")
    (rc, out) = try berth.docker("load", "-i", fromDockerd)
    #expect(rc == 0 && out.contains("Loaded image: fromdockerd:1"), "berthd load: \(out)")
    (rc, out) = try berth.docker("run", "--rm", "fromdockerd:1", "cat", "/added")
    #expect(rc == 0 && out == "from-dockerd\n", "berthd runs dockerd's image: \(rc) \(out)")

    // berthd → dockerd: import, commit a file, save; load into dockerd and run.
    (rc, out) = try berth.docker("import", tar, "bbx:2")
    try #require(rc == 0, "berthd import: \(out)")
    (rc, out) = try berth.docker("run", "--name", "mk", "bbx:2", "sh", "-c", "echo from-berth > /added")
    try #require(rc == 0, "berthd run: \(out)")
    (rc, out) = try berth.docker("commit", "mk", "fromberth:1")
    try #require(rc == 0, "berthd commit: \(out)")
    let fromBerth = berth.dir + "/fromberth.tar"
    (rc, out) = try berth.docker("save", "-o", fromBerth, "fromberth:1")
    try #require(rc == 0, "berthd save: \(out)")
    (rc, out) = try real.docker(["load", "-i", fromBerth])
    #expect(rc == 0 && out.contains("Loaded image: fromberth:1"), "dockerd load: \(out)")
    (rc, out) = try real.docker(["run", "--rm", "--network", "none", "fromberth:1", "cat", "/added"])
    #expect(rc == 0 && out == "from-berth\n", "dockerd runs berthd's image: \(rc) \(out)")
    (rc, out) = try real.docker(["run", "--rm", "--network", "none", "fromberth:1", "ls", "/bin/sh"])
    #expect(rc == 0 && out == "/bin/sh\n", "the base layer too: \(out)")

    // The berth CLI against dockerd 20.10 (API 1.41): its first request, at 1.47, is refused
    // as too new; it negotiates and carries on.
    let berthCLI = try #require(Integration.binary("berth"))
    (rc, out) = try Integration.run([berthCLI, "-H", "unix://" + real.socket, "images", "--format", "{{.Repository}}"])
    #expect(rc == 0 && out.contains("fromberth"), "berth images against dockerd: \(rc) \(out)")
    (rc, out) = try Integration.run([
      berthCLI, "-H", "unix://" + real.socket, "run", "--rm", "--network", "none", "fromberth:1", "cat", "/added",
    ])
    #expect(rc == 0 && out == "from-berth\n", "berth run --rm against dockerd: \(rc) \(out)")
  }
}

/// A real dockerd of the test's own, isolated like Tests/DockerIntegrationTests/IsolatedDockerd:
/// data root, exec root, socket, pid file and config file under one temp directory, its own
/// containerd namespace and cgroup parent; `shutdown()` removes containers, stops it by pid,
/// kills (by pid) processes started from its directory, unmounts, removes cgroups and the directory.
final class InteropDockerd {
  let root: String
  let name: String
  private var process: Process?
  private var createdHostPaths: [String] = []
  var socket: String { root + "/d.sock" }

  init() throws {
    var template = Array("/tmp/berth-ii.XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ b in b.baseAddress.flatMap { mkdtemp($0) } }) else {
      throw IntegrationError("mkdtemp failed: errno \(errno)")
    }
    root = String(cString: made)
    name = "berth-ii-" + (root.split(separator: ".").last.map { $0.lowercased() } ?? "x")
  }

  var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["DOCKER_HOST"] = "unix://" + socket
    env["DOCKER_CONFIG"] = root + "/cli"
    env.removeValue(forKey: "DOCKER_CONTEXT")
    env.removeValue(forKey: "DOCKER_TLS_VERIFY")
    return env
  }

  @discardableResult
  func docker(_ args: [String], timeout: Int = 90) throws -> (Int32, String) {
    try Integration.run(["/usr/bin/timeout", String(timeout), DockerCLITests.dockerBinary] + args, env: environment)
  }

  func logTail() -> String {
    let text = (try? String(contentsOfFile: root + "/dockerd.log", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").suffix(30).joined(separator: "\n")
  }

  func start() throws {
    for path in ["/run/docker/plugins", "/run/docker", "/run/containerd/s", "/run/containerd"]
    where !FileManager.default.fileExists(atPath: path) {
      createdHostPaths.append(path)
    }
    var failures: [String] = []
    for driver in ["overlay2", "vfs"] {
      do {
        try launch(driver)
        return
      } catch {
        failures.append("\(driver): \(error)")
        stopDaemon()
        try? FileManager.default.removeItem(atPath: root + "/data")
      }
    }
    throw IntegrationError("dockerd did not start: \(failures)")
  }

  private func launch(_ driver: String) throws {
    let fm = FileManager.default
    for dir in ["data", "exec", "cli"] {
      try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
    }
    try Data(#"{"deprecated-key-path": "\#(root)/key.json"}"#.utf8).write(
      to: URL(fileURLWithPath: root + "/daemon.json"))
    let logPath = root + "/dockerd.log"
    if !fm.fileExists(atPath: logPath) { fm.createFile(atPath: logPath, contents: nil) }
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    defer { try? log.close() }
    try log.seekToEnd()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: ImageInteropTests.dockerd)
    p.arguments = [
      "--config-file", root + "/daemon.json", "--data-root", root + "/data", "--exec-root", root + "/exec",
      "--pidfile", root + "/d.pid", "-H", "unix://" + socket,
      "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=none",
      "--storage-driver=" + driver, "--containerd-namespace", name, "--containerd-plugins-namespace", name + "-plugins",
      "--cgroup-parent", name,
    ]
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = log
    p.standardError = log
    try p.run()
    process = p
    let deadline = Date().addingTimeInterval(45)
    while Date() < deadline {
      guard p.isRunning else { throw IntegrationError("dockerd exited \(p.terminationStatus): \(logTail())") }
      if let (rc, _) = try? docker(["version", "--format", "{{.Server.Version}}"], timeout: 10), rc == 0 { return }
      usleep(200_000)
    }
    throw IntegrationError("dockerd not ready after 45 s: \(logTail())")
  }

  private func stopDaemon() {
    guard let p = process else { return }
    process = nil
    guard p.isRunning else { return }
    kill(p.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(20)
    while p.isRunning && Date() < deadline { usleep(50_000) }
    if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
  }

  /// Cleans up everything; returns what it could not.
  func shutdown() -> [String] {
    var problems: [String] = []
    if process?.isRunning == true, let (rc, ids) = try? docker(["ps", "-aq"], timeout: 30), rc == 0 {
      let list = ids.split(whereSeparator: \.isNewline).map(String.init)
      if !list.isEmpty, let (rrc, rout) = try? docker(["rm", "-f"] + list), rrc != 0 {
        problems.append("docker rm -f: \(rout)")
      }
    }
    stopDaemon()
    for pid in Integration.processes(mentioning: root) {
      problems.append("killed leftover process \(pid)")
      kill(pid, SIGKILL)
    }
    for _ in 0..<3 {
      for m in Integration.mounts(under: root) { umount2(m, Int32(MNT_DETACH)) }
    }
    let left = Integration.mounts(under: root)
    if !left.isEmpty { problems.append("mounts left: \(left)") }
    removeCgroups()
    do { try FileManager.default.removeItem(atPath: root) } catch { problems.append("remove \(root): \(error)") }
    for path in createdHostPaths { rmdir(path) }
    return problems
  }

  /// The cgroup parent in every hierarchy, absolute or below this process's cgroup; children first.
  private func removeCgroups() {
    let own = ((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "").split(separator: "\n")
      .compactMap { line -> String? in
        let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 ? String(parts[2]) : nil
      }
    var bases = ["/sys/fs/cgroup"]
    for h in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
      bases.append("/sys/fs/cgroup/" + h)
    }
    for base in bases {
      for prefix in [""] + own.filter({ $0 != "/" }) {
        let parent = base + prefix + "/" + name
        guard FileManager.default.fileExists(atPath: parent) else { continue }
        for child in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] {
          var isDir: ObjCBool = false
          if FileManager.default.fileExists(atPath: parent + "/" + child, isDirectory: &isDir), isDir.boolValue {
            rmdir(parent + "/" + child)
          }
        }
        rmdir(parent)
      }
    }
  }
}
