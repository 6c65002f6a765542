import Foundation
import Testing

/// Where things are, and whether the suite can run here.
enum DockerEnvironment {
  static var isRoot: Bool { getuid() == 0 }
  static var dockerd: String? { Command.which("dockerd") }
  static var dockerCLI: String? {
    ProcessInfo.processInfo.environment["DOCKER_CLI"] ?? Command.which("docker")
  }
  static var canRun: Bool { isRoot && dockerd != nil && dockerCLI != nil }

  /// The repository root (scripts/ lives there).
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// $BERTH_RUNTIME, or berth-runtime in the build products directory: the directory
  /// holding the test bundle (/proc/self/exe), or one of its parents.
  static var runtimeBinary: String? {
    if let path = ProcessInfo.processInfo.environment["BERTH_RUNTIME"] {
      return URL(fileURLWithPath: path).standardizedFileURL.path
    }
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
      .deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("berth-runtime").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }
}

struct DockerdSetupError: Error, CustomStringConvertible {
  var description: String
}

/// Starts one isolated dockerd for the whole suite and tears it down after the last
/// test, pass or fail.
struct IsolatedDockerdTrait: SuiteTrait, TestScoping {
  var isRecursive: Bool { false }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    guard let runtime = DockerEnvironment.runtimeBinary else {
      throw DockerdSetupError(
        description: "berth-runtime not found next to the test bundle; build it "
          + "(swift build --product berth-runtime) or set BERTH_RUNTIME")
    }
    guard let dockerd = DockerEnvironment.dockerd, let cli = DockerEnvironment.dockerCLI else {
      throw DockerdSetupError(description: "dockerd or docker not found")
    }
    let daemon = try IsolatedDockerd(runtimePath: runtime, dockerdPath: dockerd, dockerCLI: cli)
    var leftovers: [String] = []
    do {
      defer { leftovers = daemon.shutdown() }
      try daemon.start()
      try daemon.makeBusyboxImage()
      try await IsolatedDockerd.$current.withValue(daemon) { try await function() }
    }
    if !leftovers.isEmpty {
      throw DockerdSetupError(
        description: "cleanup found leftovers:\n" + leftovers.joined(separator: "\n"))
    }
  }
}

extension Trait where Self == IsolatedDockerdTrait {
  static var isolatedDockerd: Self { Self() }
}

extension IsolatedDockerd {
  /// The test image, made locally from busybox-static by scripts/make-busybox-image.sh.
  static let image = "berth-test-busybox"

  func makeBusyboxImage() throws {
    let script = DockerEnvironment.repositoryRoot.appendingPathComponent(
      "scripts/make-busybox-image.sh"
    ).path
    var env = clientEnvironment
    env["DOCKER"] = dockerCLI
    let result = try Command.run("/bin/sh", [script, Self.image], environment: env, timeout: 120)
    guard result.status == 0 else {
      throw DockerdSetupError(description: "make-busybox-image.sh failed: \(result)")
    }
  }

  /// The daemon of the running suite.
  static func required() throws -> IsolatedDockerd {
    guard let current else {
      throw DockerdSetupError(description: "no isolated dockerd in this scope")
    }
    return current
  }
}
