import Foundation
import Glibc
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

  @Test func versionImagesAndRun() throws {
    guard let berthd = Self.berthdPath else { return }
    let dir = "/tmp/berth-e2e-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let socket = "\(dir)/berth.sock"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: berthd)
    process.arguments = ["--data-root", "\(dir)/data", "--exec-root", "\(dir)/exec", "-H", "unix://\(socket)"]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    defer {
      process.terminate()
      process.waitUntilExit()
    }
    var up = false
    for _ in 0..<100 {
      if FileManager.default.fileExists(atPath: socket) {
        up = true
        break
      }
      usleep(100_000)
    }
    guard up, runCLI(["version"], host: "unix://\(socket)").code == 0 else {
      print("SKIP: berthd at \(berthd) did not serve the API on \(socket) within 10 s")
      return
    }
    let version = runCLI(["version", "--format", "{{.Server.ApiVersion}}"], host: "unix://\(socket)")
    #expect(version.code == 0)
    #expect(version.stdout.hasPrefix("1."))
    let images = runCLI(["images"], host: "unix://\(socket)")
    #expect(images.code == 0)
    #expect(images.stdout.hasPrefix("REPOSITORY   TAG       IMAGE ID       CREATED   SIZE"))
    let run = runCLI(["run", "--rm", "busybox", "echo", "hi"], host: "unix://\(socket)")
    if run.code != 0 {
      print("NOTE: berth run --rm busybox echo hi against berthd: exit \(run.code), stderr: \(run.stderr)")
    }
    #expect(run.code == 0)
    #expect(run.stdout.hasSuffix("hi\n"))
  }
}
