// `berth cp`: docker's destination rules (pure), and copies both ways against a real berthd
// (needs root, busybox and a built berthd, like EndToEnd).
import Foundation
import Glibc
import Testing

@testable import BerthCommands

@Suite struct CopyPathsTests {
  @Test func destinationRulesMatchDocker() throws {
    let file = CopyInfo(path: "/src/f", exists: true)
    let dir = CopyInfo(path: "/src/d", exists: true, isDirectory: true)
    let contents = CopyInfo(path: "/src/d/.", exists: true, isDirectory: true)
    let existingDir = CopyInfo(path: "/dst", exists: true, isDirectory: true)
    let existingFile = CopyInfo(path: "/dst/x", exists: true)
    let missing = CopyInfo(path: "/dst/new")
    #expect(try CopyPaths.prepare(source: file, destination: existingDir) == ("/dst", "f"))
    #expect(try CopyPaths.prepare(source: dir, destination: existingDir) == ("/dst", "d"))
    #expect(try CopyPaths.prepare(source: contents, destination: existingDir) == ("/dst", "."))
    #expect(try CopyPaths.prepare(source: file, destination: existingFile) == ("/dst", "x"))
    #expect(try CopyPaths.prepare(source: dir, destination: missing) == ("/dst", "new"))
    #expect(try CopyPaths.prepare(source: file, destination: missing) == ("/dst", "new"))
    #expect(throws: CopyPaths.Failure.cannotCopyDirectory) {
      try CopyPaths.prepare(source: dir, destination: existingFile)
    }
    #expect(throws: CopyPaths.Failure.directoryNotExists) {
      try CopyPaths.prepare(source: file, destination: CopyInfo(path: "/dst/new/"))
    }
  }

  @Test func argumentsAndPaths() {
    #expect(CopyPaths.splitArgument("c:/etc").container == "c")
    #expect(CopyPaths.splitArgument("/a:b").container == nil)
    #expect(CopyPaths.splitArgument("./a:b").container == nil)
    #expect(CopyPaths.absolute("d/.", cwd: "/w") == "/w/d/.")
    #expect(CopyPaths.absolute("d/", cwd: "/w") == "/w/d/")
    #expect(CopyPaths.splitDirEntry("/a/b/.") == ("/a/b", "."))
    #expect(CopyPaths.rebaseName(path: "/a/link", resolved: "/a/target") == ("/a/target", "link"))
  }
}

@Suite(.serialized, .enabled(if: berthdBinary() != nil && getuid() == 0))
struct CopyCommandTests {
  @Test func copiesBothWaysWithBerthCp() throws {
    guard let berthd = berthdBinary(), FileManager.default.isExecutableFile(atPath: "/bin/busybox") else { return }
    let daemon = try LocalBerthd(berthd: berthd, tag: "cp")
    defer { daemon.stop() }
    let host = daemon.host
    let dir = daemon.dir
    try FileManager.default.createDirectory(atPath: dir + "/host/tree/sub", withIntermediateDirectories: true)
    try daemon.importBusybox()
    try #require(runCLI(["run", "-d", "--name", "c", "busybox", "sleep", "300"], host: host).code == 0)

    try "hello\n".write(toFile: dir + "/host/hello.txt", atomically: false, encoding: .utf8)
    try "B\n".write(toFile: dir + "/host/tree/sub/b", atomically: false, encoding: .utf8)
    func read(_ rel: String) -> String? { try? String(contentsOfFile: dir + "/host/" + rel, encoding: .utf8) }

    var r = runCLI(["cp", dir + "/host/hello.txt", "c:/tmp/"], host: host)
    #expect(r.code == 0, "\(r.stderr)")
    r = runCLI(["cp", dir + "/host/tree", "c:/tmp/t2"], host: host)
    #expect(r.code == 0, "\(r.stderr)")
    r = runCLI(["exec", "c", "cat", "/tmp/hello.txt", "/tmp/t2/sub/b"], host: host)
    #expect(r.stdout == "hello\nB\n", "\(r.stdout) \(r.stderr)")

    r = runCLI(["cp", "c:/tmp/t2", dir + "/host/back"], host: host)
    #expect(r.code == 0 && read("back/sub/b") == "B\n", "\(r.stderr)")
    r = runCLI(["cp", "c:/tmp/hello.txt", dir + "/host/back/"], host: host)
    #expect(r.code == 0 && read("back/hello.txt") == "hello\n", "\(r.stderr)")
    r = runCLI(["cp", "c:/tmp/t2/.", dir + "/host/tree"], host: host)
    #expect(r.code == 0 && read("tree/sub/b") == "B\n", "\(r.stderr)")

    // A tar through stdout and back in through stdin.
    r = runCLI(["cp", "c:/tmp/hello.txt", "-"], host: host)
    #expect(r.code == 0 && r.stdout.contains("hello\n") && r.stdout.utf8.count % 512 == 0, "\(r.stderr)")
    r = runCLI(["exec", "c", "mkdir", "/tmp/in"], host: host)
    let tar = runCLI(["cp", "c:/tmp/hello.txt", "-"], host: host).stdout
    r = runCLI(["cp", "-", "c:/tmp/in"], host: host, stdin: tar)
    #expect(r.code == 0, "\(r.stderr)")
    #expect(runCLI(["exec", "c", "cat", "/tmp/in/hello.txt"], host: host).stdout == "hello\n")

    r = runCLI(["cp", "c:/nope", dir + "/host/"], host: host)
    #expect(r.code != 0 && r.stderr.contains("Could not find the file /nope in container c"), "\(r.stderr)")
    r = runCLI(["cp", dir + "/host/a", dir + "/host/b"], host: host)
    #expect(r.code != 0 && r.stderr.contains("must specify at least one container source"), "\(r.stderr)")

    // The `berth` executable has no tar code: it re-executes berth-cp, beside it, with the
    // same arguments (global flags included).
    let berth = URL(fileURLWithPath: berthd).deletingLastPathComponent().appendingPathComponent("berth").path
    func runBinary(_ arguments: [String]) throws -> (Int32, String) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: berth)
      process.arguments = ["-H", host] + arguments
      let err = Pipe()
      process.standardError = err
      try process.run()
      process.waitUntilExit()
      return (
        process.terminationStatus, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      )
    }
    var (code, stderr) = try runBinary(["cp", dir + "/host/hello.txt", "c:/tmp/via-binary"])
    #expect(code == 0, "\(stderr)")
    (code, stderr) = try runBinary(["cp", "c:/tmp/via-binary", dir + "/host/back/via-binary"])
    #expect(code == 0 && read("back/via-binary") == "hello\n", "\(stderr)")
    (code, stderr) = try runBinary(["cp", "c:/nope", dir + "/host/"])
    #expect(code == 1 && stderr.contains("Could not find the file /nope in container c"), "\(stderr)")
  }

  @Test func berthExecutableDoesNotLoadLibarchive() throws {
    guard let berthd = berthdBinary() else { return }
    let berth = URL(fileURLWithPath: berthd).deletingLastPathComponent().appendingPathComponent("berth").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
    process.arguments = [berth]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    process.waitUntilExit()
    let libraries = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(libraries.contains("libc.so") && !libraries.contains("libarchive"), "\(libraries)")
  }
}
