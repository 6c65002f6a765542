import Foundation
import LinuxOS
import Testing

/// Running one bundle under both runtimes, and reading mount tables, for the parity suites.
enum Parity {
  /// Runs the bundle's process under berth-runtime, then runc (runc first with
  /// `runcFirst`); `runcPrefix` wraps runc's command line (e.g. in `unshare`).
  static func run(
    _ bundle: TestBundle, runcPrefix: [String] = [], runcFirst: Bool = false
  ) throws -> (berth: Fixtures.Output, runc: Fixtures.Output) {
    let runcCommand = runcPrefix + ["/usr/sbin/runc", "--root", bundle.stateRoot + "-runc", "run"]
    let runRunc = {
      try Fixtures.run(
        runcCommand[0], Array(runcCommand.dropFirst()) + [TestBundle.uniqueID("parity")], cwd: bundle.directory)
    }
    let runc = runcFirst ? try runRunc() : nil
    let berth = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("parity")], root: bundle.stateRoot, cwd: bundle.directory)
    return (berth, try runc ?? runRunc())
  }

  /// The optional (propagation) fields of each mount, by mount id, from mountinfo text.
  static func propagation(_ mountInfo: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in mountInfo.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count > 6 else { continue }
      out[String(fields[0])] = fields.dropFirst(6).prefix { $0 != "-" }.joined(separator: " ")
    }
    return out
  }

  static func hostMountInfo() throws -> String { try Files.readString("/proc/self/mountinfo") }

  /// Mount points under `directory` in this process's mount namespace.
  static func mounts(under directory: String) throws -> [String] {
    Mounts.mountPoints(mountInfo: try hostMountInfo()).filter { $0 == directory || $0.hasPrefix(directory + "/") }
  }

  /// A process (`sleep`) alone in new namespaces made by unshare(1), to be joined by path.
  final class NamespaceHolder {
    let process = Process()

    init(_ unshareFlags: [String]) throws {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
      process.arguments = unshareFlags + ["/bin/sleep", "600"]
      try process.run()
      // unshare execs sleep in place: the namespaces exist once the exe is sleep.
      let deadline = Date().addingTimeInterval(10)
      while Date() < deadline {
        let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        if exe?.hasSuffix("sleep") == true { return }
        usleep(2_000)
      }
      stop()
      throw RuntimeTestError("unshare \(unshareFlags) did not start")
    }

    var pid: Int32 { process.processIdentifier }
    func path(_ name: String) -> String { "/proc/\(pid)/ns/\(name)" }

    func stop() {
      if process.isRunning { kill(pid, SIGKILL) }
      process.waitUntilExit()
    }
  }
}

struct RuntimeTestError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
