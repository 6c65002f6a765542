import CBerth
import Glibc
import LinuxOS

/// Finds the program in the container's PATH before the container is reported as
/// created, so `create` fails (and Docker maps it to exit 127/126) instead of the
/// container dying after `start`.
enum ExecutableLookup {
  static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

  static func find(_ program: String, environment: [String]) throws -> String {
    if program.contains("/") {
      try check(program, asWritten: program)
      return program
    }
    let path = environment.last(where: { $0.hasPrefix("PATH=") }).map { String($0.dropFirst(5)) } ?? defaultPath
    for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
      let dir = directory.isEmpty ? "." : String(directory)
      let candidate = "\(dir)/\(program)"
      var st = stat()
      if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
        return candidate
      }
    }
    throw RuntimeError("exec: \"\(program)\": executable file not found in $PATH")
  }

  static func check(_ path: String, asWritten: String) throws {
    var st = stat()
    if stat(path, &st) != 0 {
      throw RuntimeError("exec: \"\(asWritten)\": stat \(path): \(String(cString: strerror(errno)))")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      throw RuntimeError("exec: \"\(asWritten)\": is a directory")
    }
    if access(path, X_OK) != 0 {
      throw RuntimeError("exec: \"\(asWritten)\": permission denied")
    }
  }

  static func exec(_ path: String, arguments: [String], environment: [String]) throws -> Never {
    signal(SIGPIPE, SIG_DFL)
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    execve(path, argv, envp)
    throw RuntimeError("exec \(path): \(String(cString: strerror(errno)))")
  }
}
