// The container process: argv (entrypoint + cmd), environment, working directory, rlimits.
import OCI

extension SpecBuilder {
  /// Entrypoint followed by Cmd (both already merged with the image's).
  static func arguments(_ s: ContainerSettings) throws -> [String] {
    let args = (s.entrypoint ?? []) + (s.cmd ?? [])
    guard let first = args.first, !first.isEmpty else {
      throw DaemonError.invalid("No command specified")
    }
    return args
  }

  /// PATH, HOSTNAME and (with a TTY) TERM, overridden by or followed by the container's
  /// Env (moby's ReplaceOrAppendEnvValues: a bare "KEY" removes KEY).
  static func environment(_ s: ContainerSettings) -> [String] {
    var env = ["PATH=" + defaultPath, "HOSTNAME=" + (s.hostname ?? "")]
    if s.tty { env.append("TERM=xterm") }
    return replaceOrAppend(env, with: s.env ?? [])
  }

  static func replaceOrAppend(_ base: [String], with overrides: [String]) -> [String] {
    var env: [String?] = base
    func index(of key: String) -> Int? {
      env.firstIndex { $0.map(envKey) == key }
    }
    for entry in overrides {
      let key = envKey(entry)
      if entry.contains("=") {
        if let i = index(of: key) { env[i] = entry } else { env.append(entry) }
      } else if let i = index(of: key) {
        env[i] = nil
      }
    }
    return env.compactMap { $0 }
  }

  /// WorkingDir (cleaned), or "/".
  static func workingDirectory(_ s: ContainerSettings) throws -> String {
    guard let dir = s.workingDir, !dir.isEmpty else { return "/" }
    guard dir.hasPrefix("/") else {
      throw DaemonError.invalid("the working directory '\(dir)' is invalid, it needs to be an absolute path")
    }
    return cleanPath(dir)
  }

  /// A lexically clean absolute path ("/a//b/../c/" → "/a/c").
  static func cleanPath(_ path: String) -> String {
    var parts: [Substring] = []
    for c in path.split(separator: "/", omittingEmptySubsequences: true) {
      if c == "." { continue }
      if c == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(c)
    }
    return "/" + parts.joined(separator: "/")
  }

  static let rlimitNames: Set<String> = [
    "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
    "rss", "rtprio", "rttime", "sigpending", "stack",
  ]

  /// `--ulimit nofile=1024:2048` → RLIMIT_NOFILE (-1 is unlimited).
  static func rlimits(_ ulimits: [Ulimit]) throws -> [Rlimit]? {
    guard !ulimits.isEmpty else { return nil }
    return try ulimits.map { u in
      let name = u.name.lowercased()
      guard rlimitNames.contains(name) else { throw DaemonError.invalid("invalid ulimit type: \(u.name)") }
      func value(_ v: Int64) -> UInt64 { v < 0 ? UInt64.max : UInt64(v) }
      let soft = value(u.soft)
      let hard = value(u.hard)
      guard soft <= hard else {
        throw DaemonError.invalid(
          "ulimit soft limit must be less than or equal to hard limit: \(u.soft) > \(u.hard)")
      }
      return Rlimit(type: "RLIMIT_" + name.uppercased(), hard: hard, soft: soft)
    }
  }
}
