// `-it` with the real docker CLI under a pty (`script` gives it one, as a terminal does):
// the container's terminal has the client's size from the start (HostConfig.ConsoleSize,
// then resizes), and an interactive `exec -it … sh` reads what is typed and returns its
// exit code. Needs root, busybox, /usr/local/bin/docker, /usr/bin/script and the built binaries.
import Foundation
import Testing

@Suite(.serialized) struct TerminalTests {
  static var missing: String? {
    if let m = TestBerthd.missing { return m }
    return FileManager.default.isExecutableFile(atPath: "/usr/bin/script") ? nil : "needs /usr/bin/script"
  }

  /// Runs `command` (a shell line) under a fresh pty of 30 rows and 100 columns.
  static func underPty(_ d: TestBerthd, _ command: String, input: String = "") throws -> (Int32, String) {
    let line = "stty rows 30 cols 100; " + command
    return try Integration.run(
      ["/usr/bin/timeout", "60", "/usr/bin/script", "-qec", line, "/dev/null"],
      env: d.environment.merging(["PATH": "/usr/local/bin:/usr/bin:/bin"]) { $1 }, stdin: Data(input.utf8))
  }

  @Test(.enabled(if: Self.missing == nil, "needs root, busybox, docker, script and the built binaries"))
  func runAndExecGetTheClientsTerminal() throws {
    let d = TestBerthd(tag: "tty")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    var (rc, out) = try Self.underPty(d, "docker run --rm -it busybox sh -c 'tty; stty size'")
    #expect(rc == 0, "run -it: \(out)")
    #expect(out.contains("/dev/pts/0"), "run -it has no pty: \(out)")
    #expect(out.contains("30 100"), "run -it did not get the client's size at start: \(out)")

    (rc, out) = try d.docker("run", "-d", "--name", "m", "busybox", "sleep", "1000")
    try #require(rc == 0, "docker run -d: \(out)")
    (rc, out) = try Self.underPty(d, "docker exec -it m stty size")
    #expect(rc == 0 && out.contains("30 100"), "exec -it size: \(out)")

    // Typed input reaches the shell, which answers and exits with the code it was given.
    (rc, out) = try Self.underPty(d, "sleep 1; docker exec -it m sh", input: "echo in-$((6*7))\nexit 3\n")
    #expect(rc == 3, "exec -it sh exit code: \(rc) \(out)")
    #expect(out.contains("in-42"), "exec -it sh output: \(out)")
    (rc, out) = try d.docker("rm", "-f", "m")
    #expect(rc == 0, "docker rm -f: \(out)")
  }
}
