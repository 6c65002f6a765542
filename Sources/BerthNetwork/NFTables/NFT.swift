import CBerth
import Glibc
import LinuxOS

/// Runs `nft -f -` with one batch on stdin (one transaction: all of it applies or none).
/// Spawned through the project's spawn helper, never a fork of berthd.
public enum NFT {
  public static let candidates = ["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"]

  public static var path: String? { candidates.first { access($0, X_OK) == 0 } }

  public static func apply(_ batch: String) throws {
    let output = try run(["-f", "-"], input: batch)
    if output.status != 0 {
      throw NetworkError.tool("nft", status: output.status, output: output.text, input: String(batch.prefix(2000)))
    }
  }

  /// Runs nft with `arguments`, `input` on stdin; returns its exit status and stdout+stderr.
  public static func run(_ arguments: [String], input: String = "") throws -> (status: Int32, text: String) {
    guard let path else { throw NetworkError.missingTool("nft") }
    return try Tool.run(path, arguments, input: input)
  }
}

/// A short-lived tool (nft, iptables): stdin from a memfd (no pipe to deadlock on however
/// long the batch), stdout and stderr into one pipe read after exit.
enum Tool {
  static func run(_ path: String, _ arguments: [String], input: String) throws -> (status: Int32, text: String) {
    let memfd = try sys("memfd_create", path) { berth_memfd_create("berth-tool-input", 1) }  // MFD_CLOEXEC
    defer { FD.close(memfd) }
    try FD.write(memfd, input)
    _ = lseek(memfd, 0, SEEK_SET)
    let output = try FD.pipe()
    let pid: pid_t
    do {
      pid = try Processes.spawn(
        path, [path] + arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
        fds: [memfd, output.write, output.write])
    } catch {
      FD.close(output.read)
      FD.close(output.write)
      throw error
    }
    FD.close(output.write)
    let text = String(decoding: (try? FD.readAll(output.read)) ?? [], as: UTF8.self)  // only for messages
    FD.close(output.read)
    guard let exit = try Processes.wait(pid) else { throw SystemError("waitpid", errno: ECHILD, path) }
    return (exit.code, text)
  }
}
