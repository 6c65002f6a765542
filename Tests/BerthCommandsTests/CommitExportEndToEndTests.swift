import Foundation
import Testing

extension EndToEnd {
  /// `berth commit` (with -c and -m) and `berth export` against a real berthd.
  @Test func commitAndExport() throws {
    guard let berthd = Self.berthdPath, FileManager.default.isExecutableFile(atPath: "/bin/busybox") else { return }
    let daemon = try LocalBerthd(berthd: berthd, tag: "e2e-commit")
    defer { daemon.stop() }
    let host = daemon.host
    try daemon.importBusybox()
    let started = runCLI(
      ["run", "-d", "--name", "c1", "busybox", "sh", "-c", "echo made > /made; sleep 300"], host: host)
    #expect(started.code == 0, "\(started.stderr)")
    var ready = false
    for _ in 0..<50 where !ready {
      ready = runCLI(["exec", "c1", "cat", "/made"], host: host).stdout == "made\n"
      if !ready { usleep(100_000) }
    }
    let commit = runCLI(
      ["commit", "-a", "tester", "-m", "a note", "-c", "CMD [\"cat\", \"/made\"]", "c1", "made:v1"], host: host)
    #expect(commit.code == 0, "\(commit.stderr)")
    #expect(commit.stdout.hasPrefix("sha256:") && commit.stdout.count == 72, "\(commit.stdout)")
    let author = runCLI(["image", "inspect", "--format", "{{.Author}} {{.Comment}}", "made:v1"], host: host)
    #expect(author.stdout == "tester a note\n", "\(author.stderr)")
    let run = runCLI(["run", "--rm", "made:v1"], host: host)
    #expect(run.stdout == "made\n", "\(run.stderr)")

    let tar = daemon.dir + "/c1.tar"
    let export = runCLI(["export", "-o", tar, "c1"], host: host)
    #expect(export.code == 0, "\(export.stderr)")
    let list = Process()
    list.executableURL = URL(fileURLWithPath: "/bin/tar")
    list.arguments = ["-tf", tar]
    let out = Pipe()
    list.standardOutput = out
    try list.run()
    let names = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    list.waitUntilExit()
    #expect(names.split(separator: "\n").contains { $0 == "made" || $0 == "./made" }, "\(names.prefix(300))")
    #expect(runCLI(["rm", "-f", "c1"], host: host).code == 0)
    #expect(runCLI(["rmi", "made:v1"], host: host).code == 0)
  }
}
