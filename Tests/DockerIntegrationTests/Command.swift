import Foundation

/// What a finished command printed and how it ended.
struct CommandResult: Sendable, CustomStringConvertible {
  var status: Int32
  var stdout: String
  var stderr: String
  var elapsed: TimeInterval

  var description: String {
    "exit \(status) after \(String(format: "%.2f", elapsed)) s\nstdout: \(stdout)\nstderr: \(stderr)"
  }
}

struct CommandTimedOut: Error, CustomStringConvertible {
  var command: [String]
  var timeout: TimeInterval
  var description: String { "timed out after \(timeout) s: \(command.joined(separator: " "))" }
}

enum Command {
  /// Runs a program to completion (stdin is /dev/null). Output goes through temporary
  /// files, not pipes, so a daemon the command leaves behind cannot hold the reader open.
  /// On timeout the program is killed and `CommandTimedOut` is thrown.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    timeout: TimeInterval = 60
  ) throws -> CommandResult {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("berth-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    defer {
      try? out.close()
      try? err.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    let start = Date()
    try process.run()
    let deadline = start.addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      throw CommandTimedOut(command: [executable] + arguments, timeout: timeout)
    }
    process.waitUntilExit()
    let elapsed = Date().timeIntervalSince(start)
    return CommandResult(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
      elapsed: elapsed)
  }

  /// The first executable named `name` on $PATH (or in the usual sbin directories).
  static func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let dirs =
      path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin"]
    for dir in dirs {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}
