import Glibc
import LinuxOS

/// Enters the process's cwd and proves it lies inside the container's root.
enum WorkingDirectory {
  /// Makes a missing cwd (mode 0755), called with the container's root in place.
  static func create(_ cwd: String) throws {
    guard cwd.hasPrefix("/"), !Files.isDirectory(cwd) else { return }
    do {
      try Files.makeDirectories(cwd, mode: 0o755)
    } catch {
      throw RuntimeError("making cwd (\"\(cwd)\") set in config.json failed: \(error)")
    }
  }

  static func enter(_ cwd: String) throws {
    guard cwd.hasPrefix("/") else { throw RuntimeError("cwd \(cwd) must be an absolute path") }
    if chdir(cwd) != 0 {
      throw RuntimeError("chdir to cwd (\"\(cwd)\") set in config.json failed: \(String(cString: strerror(errno)))")
    }
    // A cwd reached through a leaked fd would read "(unreachable)/…" here.
    var buffer = [CChar](repeating: 0, count: 4097)
    guard getcwd(&buffer, 4096) != nil else {
      throw RuntimeError("cwd \(cwd) is not reachable from the container's root")
    }
    let resolved = String(cString: buffer)
    guard resolved.hasPrefix("/") else {
      throw RuntimeError("cwd \(cwd) resolves outside the container's root (\(resolved))")
    }
  }
}
