import Foundation
import Glibc
import LinuxOS
import Testing

/// Runs the CLI against a real berthd on a temp socket (needs root and a built berthd:
/// `swift build --product berthd`; set BERTHD to point at another binary). Skips with a
/// message when berthd is not built or does not come up.
@Suite(.serialized, .enabled(if: berthdBinary() != nil && getuid() == 0))
struct EndToEnd {
  static var berthdPath: String? { berthdBinary() }
}

/// BERTHD, else a berthd built in the checkout (.build/debug, .build-cli/debug, .build/release).
func berthdBinary() -> String? {
  var candidates: [String] = []
  if let env = ProcessInfo.processInfo.environment["BERTHD"] { candidates.append(env) }
  let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  for dir in [".build/debug", ".build-cli/debug", ".build/release"] {
    candidates.append(root.appendingPathComponent(dir).appendingPathComponent("berthd").path)
  }
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

extension EndToEnd {
  /// berth against a real berthd: import a busybox rootfs made here, list it, run
  /// containers in the foreground and detached, exec into one, and remove everything.
  @Test func importRunExecAndRemove() throws {
    guard let berthd = Self.berthdPath, FileManager.default.isExecutableFile(atPath: "/bin/busybox") else { return }
    let daemon = try LocalBerthd(berthd: berthd, tag: "e2e")
    defer { daemon.stop() }
    let host = daemon.host

    let version = runCLI(["version", "--format", "{{.Server.ApiVersion}}"], host: host)
    #expect(version.stdout == "1.47\n")

    // An image made locally from busybox-static, imported through the API.
    try daemon.importBusybox()
    let images = runCLI(["images", "--format", "{{.Repository}}:{{.Tag}}"], host: host)
    #expect(images.stdout == "busybox:latest\n", "\(images.stdout) \(images.stderr)")

    let run = runCLI(["run", "--rm", "busybox", "echo", "hi"], host: host)
    #expect(run.code == 0, "\(run.stderr)")
    #expect(run.stdout == "hi\n")
    let failing = runCLI(["run", "--rm", "busybox", "sh", "-c", "exit 3"], host: host)
    #expect(failing.code == 3)
    let missing = runCLI(["run", "--rm", "busybox", "no-such-command"], host: host)
    #expect(missing.code == 127, "\(missing.stderr)")

    let detached = runCLI(["run", "-d", "--name", "e2e", "busybox", "sleep", "300"], host: host)
    #expect(detached.code == 0, "\(detached.stderr)")
    #expect(detached.stdout.count == 65)
    #expect(runCLI(["ps", "--format", "{{.Names}} {{.Status}}"], host: host).stdout.hasPrefix("e2e Up"))
    let exec = runCLI(["exec", "e2e", "sh", "-c", "echo $((6 * 7)); exit 4"], host: host)
    #expect(exec.stdout == "42\n")
    #expect(exec.code == 4)
    #expect(runCLI(["rm", "-f", "e2e"], host: host).code == 0)
    let left = runCLI(["ps", "-a", "--format", "{{.Command}} {{.Status}}"], host: host).stdout
    #expect(left.isEmpty, "left: \(left)")
    #expect(runCLI(["rmi", "busybox"], host: host).code == 0)
  }
}

/// The package root (where scripts/ lives), from this file's path.
func packageRoot() -> URL {
  URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
}

/// Lazily unmounts every mount at or below `directory`, deepest first.
func unmountEverything(under directory: String) {
  let mounts = (try? Files.readString("/proc/self/mountinfo")) ?? ""
  let points = mounts.split(separator: "\n").compactMap { line -> String? in
    let fields = line.split(separator: " ")
    guard fields.count > 4, fields[4].hasPrefix(directory) else { return nil }
    return String(fields[4])
  }
  for point in points.sorted(by: { $0.count > $1.count }) { umount2(point, Int32(MNT_DETACH)) }
}
