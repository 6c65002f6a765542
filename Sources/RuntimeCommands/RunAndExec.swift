import JSONCoding
import Glibc
import LinuxOS
import OCI
import Runtime
import Cgroups

extension CommandContext {
  static let runFlags: [FlagSpec] =
    createFlags + [
      FlagSpec(names: ["detach", "d"], takesValue: false), FlagSpec(names: ["keep"], takesValue: false),
      FlagSpec(names: ["no-subreaper"], takesValue: false),
    ]

  /// create + start; in the foreground it also forwards signals, proxies the
  /// terminal, waits, deletes the container and exits with its status.
  func run(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: Self.runFlags)
    let id = try containerID(parsed, verb: "run")
    let options = try createOptions(parsed)
    let detach = parsed.flag("detach")
    let foreground = detach ? nil : try ForegroundSession(subreaper: !parsed.flag("no-subreaper"))
    let spec = try Runtime.loadSpec(bundle: options.bundle)
    let terminal = spec.process?.terminal == true
    let internalConsole = (terminal && options.consoleSocket == nil) ? try FD.socketPair() : nil
    if terminal && detach && options.consoleSocket == nil {
      throw UsageError("cannot allocate tty if runc will detach without setting console socket")
    }
    let created = try runtime.create(id: id, options: options, consoleSocketFD: internalConsole?.1, spec: spec)
    if let internalConsole { FD.close(internalConsole.1) }
    do {
      let master = try internalConsole.map { try FD.receiveFD(over: $0.0).fd }
      try runtime.start(id: id, record: created.record)
      guard let foreground else { return 0 }
      let status = foreground.wait(for: created.record.pid, master: master)
      PhaseTrace.mark("container exited")
      if !parsed.flag("keep") { try? runtime.delete(id: id, force: true, record: created.record) }
      PhaseTrace.mark("deleted")
      return status
    } catch {
      try? runtime.delete(id: id, force: true)
      throw error
    }
  }

  static let execFlags: [FlagSpec] = [
    FlagSpec(names: ["console-socket"], takesValue: true), FlagSpec(names: ["cwd"], takesValue: true),
    FlagSpec(names: ["env", "e"], takesValue: true), FlagSpec(names: ["tty", "t"], takesValue: false),
    FlagSpec(names: ["user", "u"], takesValue: true), FlagSpec(names: ["additional-gids", "g"], takesValue: true),
    FlagSpec(names: ["process", "p"], takesValue: true), FlagSpec(names: ["detach", "d"], takesValue: false),
    FlagSpec(names: ["pid-file"], takesValue: true), FlagSpec(names: ["process-label"], takesValue: true),
    FlagSpec(names: ["apparmor"], takesValue: true), FlagSpec(names: ["no-new-privs"], takesValue: false),
    FlagSpec(names: ["cap", "c"], takesValue: true), FlagSpec(names: ["preserve-fds"], takesValue: true),
    FlagSpec(names: ["ignore-paused"], takesValue: false), FlagSpec(names: ["cgroup"], takesValue: true),
  ]

  func exec(_ arguments: ArraySlice<String>) throws -> Int32 {
    // Flags end at the container id; everything after it is the command.
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: Self.execFlags)
    let id = try containerID(parsed, verb: "exec")
    let record = try runtime.state(id: id)
    if record.status == "paused" && !parsed.flag("ignore-paused") {
      throw RuntimeError("cannot exec in a paused container (use --ignore-paused to override)")
    }
    var options = Runtime.ExecOptions(process: try execProcess(parsed, id: id))
    options.consoleSocket = parsed.value("console-socket")
    options.pidFile = parsed.value("pid-file")
    if let text = parsed.value("preserve-fds") { options.preserveFDs = Int(text) ?? 0 }
    let detach = parsed.flag("detach")
    let terminal = options.process.terminal == true
    if terminal && detach && options.consoleSocket == nil {
      throw UsageError("cannot allocate tty if runc will detach without setting console socket")
    }
    let foreground = detach ? nil : try ForegroundSession(subreaper: true)
    let internalConsole = (terminal && options.consoleSocket == nil) ? try FD.socketPair() : nil
    let pid = try runtime.exec(id: id, options: options, consoleSocketFD: internalConsole?.1)
    if let internalConsole { FD.close(internalConsole.1) }
    guard let foreground else { return 0 }
    let master = try internalConsole.map { try FD.receiveFD(over: $0.0).fd }
    return foreground.wait(for: pid, master: master)
  }

  /// The exec'd process: from --process, or from the container's process with the flags applied.
  func execProcess(_ parsed: ParsedArguments, id: String) throws -> OCI.Process {
    if let path = parsed.value("process") {
      let bytes = try Files.read(path)
      do {
        return try JSON.decode(OCI.Process.self, from: bytes)
      } catch {
        throw RuntimeError("invalid process JSON \(path): \(error)")
      }
    }
    let args = Array(parsed.positionals.dropFirst())
    guard !args.isEmpty else { throw UsageError("exec: args must not be empty") }
    let base = try runtime.store.load(id).spec.process ?? OCI.Process()
    var process = base
    process.args = args
    process.terminal = parsed.flag("tty")
    process.consoleSize = nil
    process.env = (base.env ?? []) + parsed.all("env")
    if let cwd = parsed.value("cwd") { process.cwd = cwd }
    if let user = parsed.value("user") {
      let parts = user.split(separator: ":")
      guard let uid = UInt32(parts[0]), parts.count == 1 || UInt32(parts[1]) != nil else {
        throw UsageError("--user must be uid or uid:gid, got \(user)")
      }
      process.user.uid = uid
      process.user.gid = parts.count > 1 ? UInt32(parts[1]) ?? 0 : process.user.gid
    }
    let gids = parsed.all("additional-gids").compactMap { UInt32($0) }
    if !gids.isEmpty { process.user.additionalGids = gids }
    if parsed.flag("no-new-privs") { process.noNewPrivileges = true }
    let extraCaps = parsed.all("cap")
    if !extraCaps.isEmpty {
      var caps = process.capabilities ?? Capabilities()
      caps.bounding = (caps.bounding ?? []) + extraCaps
      caps.effective = (caps.effective ?? []) + extraCaps
      caps.permitted = (caps.permitted ?? []) + extraCaps
      process.capabilities = caps
    }
    return process
  }

  func events(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(
      arguments,
      flags: [FlagSpec(names: ["stats"], takesValue: false), FlagSpec(names: ["interval"], takesValue: true)])
    let id = try containerID(parsed, verb: "events")
    guard parsed.flag("stats") else { throw RuntimeError("events: only --stats is supported") }
    struct Event: Encodable {
      let type = "stats"
      let id: String
      let data: CgroupStats
    }
    try JSONOutput.print(Event(id: id, data: try runtime.stats(id: id)), pretty: false)
    return 0
  }
}
