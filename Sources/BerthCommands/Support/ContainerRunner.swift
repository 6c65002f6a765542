import EngineAPI
import EngineClient
import Glibc
import LinuxOS

/// The pieces of `docker run`: create (pulling a missing image), attach, wait, start, resize.
enum ContainerRunner {
  /// POST /containers/create; on "No such image" pulls and retries (docker's order and messages).
  static func create(_ ctx: CommandContext, _ parsed: ContainerOptions.Parsed, pull: String, quiet: Bool) throws
    -> String
  {
    let client = try ctx.client()
    var query: [(String, String)] = []
    if let name = parsed.name { query.append(("name", name)) }
    if let platform = parsed.platform { query.append(("platform", platform)) }
    let body = EngineClient.Body.encodable(parsed.request)
    if pull == "always" {
      try ImagePull.pull(ctx, image: parsed.image, platform: parsed.platform, quiet: quiet, toStderr: true)
    }
    let response: JSON
    do {
      response = try client.json("POST", "/containers/create", query: query, body: body)
    } catch let error as EngineClientError where error.statusCode == 404 && pull != "never" && pull != "always" {
      guard error.message.contains("No such image") || error.message.contains("no such image") else { throw error }
      ctx.errLine("Unable to find image '\(ImageReference(parsing: parsed.image).familiarString)' locally")
      try ImagePull.pull(ctx, image: parsed.image, platform: parsed.platform, quiet: quiet, toStderr: true)
      response = try client.json("POST", "/containers/create", query: query, body: body)
    }
    for warning in response["Warnings"]?.stringArray ?? [] { ctx.errLine("WARNING: \(warning)") }
    guard let id = response["Id"]?.stringValue else {
      throw EngineClientError.protocolError("the daemon's create answer has no Id")
    }
    return id
  }

  /// docker's exit status for a failed start: 127 not found, 126 cannot invoke, else 125.
  static func startFailureCode(_ message: String) -> Int32 {
    if message.contains("executable file not found") || message.contains("no such file or directory")
      || message.contains("system cannot find the file specified")
    {
      return 127
    }
    if message.contains("permission denied") || message.contains("is a directory") { return 126 }
    return 125
  }

  /// Current terminal size of `fd`, if it is one.
  static func terminalSize(_ fd: Int32) -> (rows: UInt16, columns: UInt16)? {
    guard isatty(fd) == 1, let size = Terminals.size(fd), size.rows > 0 else { return nil }
    return size
  }

  static func resize(_ client: EngineClient, path: String, fd: Int32) {
    guard let size = terminalSize(fd) else { return }
    _ = try? client.call("POST", path, query: [("h", String(size.rows)), ("w", String(size.columns))])
  }

  /// Attaches (hijacked), runs `start`, pumps the streams until the output ends.
  /// Returns after the session ends; the caller then reads the wait result.
  /// Returns true when the user detached with the detach keys.
  @discardableResult
  static func attachAndStream(
    _ ctx: CommandContext, id: String, tty: Bool, stdin: Bool, stdout: Bool, stderr: Bool, sigProxy: Bool,
    detachKeys: String? = nil, beforeStart: () throws -> Void = {}, start: () throws -> Void
  ) throws -> Bool {
    let client = try ctx.client()
    var query: [(String, String)] = [("stream", "1")]
    if stdin { query.append(("stdin", "1")) }
    if stdout { query.append(("stdout", "1")) }
    if stderr { query.append(("stderr", "1")) }
    if let detachKeys { query.append(("detachKeys", detachKeys)) }
    let (_, socket) = try client.hijack("POST", "/containers/\(pathEscape(id))/attach", query: query)
    defer { socket.close() }
    try beforeStart()
    var savedTerminal: termios?
    if tty && stdin && isatty(ctx.io.stdin) == 1 {
      savedTerminal = try? Terminals.makeRaw(ctx.io.stdin)
    }
    defer {
      if let savedTerminal { Terminals.restore(ctx.io.stdin, savedTerminal) }
    }
    try start()
    return try pump(
      ctx, socket: socket, tty: tty, stdin: stdin, resizePath: tty ? "/containers/\(pathEscape(id))/resize" : nil,
      killPath: sigProxy && !tty ? "/containers/\(pathEscape(id))/kill" : nil, detachKeys: detachKeys)
  }

  /// The detach keys for this command: the flag, else the config's `detachKeys` (nil: the
  /// daemon's default), as docker's CLI chooses them.
  static func detachKeys(_ ctx: CommandContext, flag: String?) -> String? {
    if let flag, !flag.isEmpty { return flag }
    do {
      if let keys = try ctx.loadConfig().detachKeys, !keys.isEmpty { return keys }
    } catch {
      ctx.errLine("WARNING: Error loading config file: \(describe(error))")
    }
    return nil
  }

  /// The poll loop with resize on SIGWINCH and signal forwarding.
  @discardableResult
  static func pump(
    _ ctx: CommandContext, socket: EngineConnection, tty: Bool, stdin: Bool, resizePath: String?, killPath: String?,
    detachKeys: String? = nil
  ) throws -> Bool {
    let client = try ctx.client()
    if let resizePath { resize(client, path: resizePath, fd: ctx.io.stdout) }
    var watched: [Int32] = []
    if resizePath != nil { watched.append(SIGWINCH) }
    if killPath != nil { watched += [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2] }
    let watcher = watched.isEmpty ? nil : SignalWatcher(signals: watched)
    defer { watcher?.stop() }
    var session = HijackedSession(socket: socket, tty: tty, inputFD: stdin ? ctx.io.stdin : nil)
    session.stdoutFD = ctx.io.stdout
    session.stderrFD = ctx.io.stderr
    session.signals = watcher
    session.onSignal = { signal in
      if signal == SIGWINCH, let resizePath {
        resize(client, path: resizePath, fd: ctx.io.stdout)
      } else if let killPath {
        _ = try? client.call("POST", killPath, query: [("signal", String(signal))])
      }
    }
    if stdin && tty {
      // An invalid sequence falls back to docker's default, as the docker CLI does.
      session.detachKeys =
        (try? DetachKeys.bytes(detachKeys ?? DetachKeys.defaultSequence))
        ?? (try? DetachKeys.bytes(DetachKeys.defaultSequence))
    }
    return try session.run()
  }
}
