import Foundation
import OCI

/// Runs the `seccomp-probe` executable, which loads a filter into its own fresh,
/// single-threaded process (the test process is multithreaded and must keep its own
/// syscalls) and reports the errno of each syscall it then makes.
struct SeccompProbe {
  struct Result {
    /// `op` → errno (0 on success), in the order the ops ran.
    var errnos: [String: Int32]
    var lines: [String]
    var status: Int32
    var killedBySignal: Bool
    var stderr: String
  }

  /// The probe, built next to the test bundle (the build products directory), or where
  /// `SECCOMP_PROBE` points.
  static var path: String? {
    if let override = ProcessInfo.processInfo.environment["SECCOMP_PROBE"] { return override }
    var candidates: [URL] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
    }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    for dir in candidates {
      let probe = dir.appendingPathComponent("seccomp-probe").path
      if FileManager.default.isExecutableFile(atPath: probe) { return probe }
    }
    return nil
  }

  /// Loads `spec` (nil: Docker's default profile) and runs `ops` under it; `precompiled`
  /// loads the exported BPF program (`SeccompProgram`) instead of using seccomp_load.
  static func run(_ spec: OCI.Seccomp?, ops: [String], precompiled: Bool = false) throws -> Result {
    guard let path else {
      throw ProbeError(
        "seccomp-probe not found next to the test bundle; build it with "
          + "`swift build --product seccomp-probe` or set SECCOMP_PROBE")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "seccomp-probe-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }

    var profileArgument = "docker-default"
    if let spec {
      let file = dir.appendingPathComponent("seccomp.json")
      try JSONEncoder().encode(spec).write(to: file)
      profileArgument = file.path
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    if precompiled {
      process.environment = ProcessInfo.processInfo.environment.merging(["SECCOMP_PROBE_PRECOMPILED": "1"]) { $1 }
    }
    process.arguments =
      [profileArgument] + ops.map { $0.replacingOccurrences(of: "$DIR", with: dir.path) }
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()

    let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
    var errnos: [String: Int32] = [:]
    for line in lines {
      let parts = line.split(separator: "=", maxSplits: 1)
      if parts.count == 2, let value = Int32(parts[1]) { errnos[String(parts[0])] = value }
    }
    return Result(
      errnos: errnos, lines: lines, status: process.terminationStatus,
      killedBySignal: process.terminationReason == .uncaughtSignal,
      stderr: String(decoding: err, as: UTF8.self))
  }
}

struct ProbeError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
