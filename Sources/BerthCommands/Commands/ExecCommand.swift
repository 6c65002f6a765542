import LinuxOS
import EngineAPI
import EngineClient
import Glibc

enum ExecCommand {
  static let spec = CommandSpec(
    "exec", usage: "[OPTIONS] CONTAINER COMMAND [ARG...]", summary: "Execute a command in a running container",
    aliases: ["container exec", "exec"],
    flags: [
      .bool("detach", "d", "Detached mode: run command in the background"),
      .string("detach-keys", nil, "Override the key sequence for detaching a container"),
      .list("env", "e", "Set environment variables"),
      .list("env-file", nil, "Read in a file of environment variables"),
      .bool("interactive", "i", "Keep STDIN open even if not attached"),
      .bool("privileged", nil, "Give extended privileges to the command"),
      .bool("tty", "t", "Allocate a pseudo-TTY"),
      .string("user", "u", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
      .string("workdir", "w", "Working directory inside the container"),
    ], interspersed: false, arguments: .atLeast(2))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    let container = flags.positionals[0]
    let detach = flags.bool("detach")
    let tty = flags.bool("tty")
    let interactive = flags.bool("interactive")
    if tty && interactive && !detach && isatty(ctx.io.stdin) != 1 {
      throw CommandError.failure("the input device is not a TTY")
    }
    var env: [String] = []
    for file in flags.all("env-file") { env += try ContainerOptions.readEnvFile(file, environment: ctx.environment) }
    for item in flags.all("env") {
      if item.contains("=") { env.append(item) } else if let v = ctx.environment[item] { env.append("\(item)=\(v)") }
    }
    var request = ExecCreateRequest()
    request.attachStdin = interactive && !detach
    request.attachStdout = !detach
    request.attachStderr = !detach
    request.tty = tty
    request.cmd = Array(flags.positionals.dropFirst())
    request.env = env.isEmpty ? nil : env
    request.user = flags.string("user")
    request.workingDir = flags.string("workdir")
    request.privileged = flags.bool("privileged") ? true : nil
    request.detachKeys = ContainerRunner.detachKeys(ctx, flag: flags.string("detach-keys"))
    if tty, let size = ContainerRunner.terminalSize(ctx.io.stdout) {
      request.consoleSize = [Int(size.rows), Int(size.columns)]
    }
    let created = try client.json(
      "POST", "/containers/\(pathEscape(container))/exec", body: .encodable(request))
    guard let execID = created["Id"]?.stringValue else {
      throw EngineClientError.protocolError("the daemon's exec answer has no Id")
    }
    let startBody = EngineClient.Body.encodable(
      ExecStartRequest(detach: detach, tty: tty, consoleSize: request.consoleSize))
    if detach {
      try client.call("POST", "/exec/\(execID)/start", body: startBody)
      return 0
    }
    let socket: EngineConnection
    do {
      (_, socket) = try client.hijack("POST", "/exec/\(execID)/start", body: startBody)
    } catch {
      let message = describe(error)
      throw CommandError.status(
        message, ContainerRunner.startFailureCode(message) == 125 ? 126 : ContainerRunner.startFailureCode(message))
    }
    defer { socket.close() }
    var saved: termios?
    if tty && interactive && isatty(ctx.io.stdin) == 1 { saved = try? Terminals.makeRaw(ctx.io.stdin) }
    defer { if let saved { Terminals.restore(ctx.io.stdin, saved) } }
    let detached = try ContainerRunner.pump(
      ctx, socket: socket, tty: tty, stdin: interactive, resizePath: tty ? "/exec/\(execID)/resize" : nil,
      killPath: nil,
      detachKeys: request.detachKeys)
    if detached { return 0 }
    let inspect = try client.json("GET", "/exec/\(execID)/json")
    return Int32(truncatingIfNeeded: inspect["ExitCode"]?.intValue ?? 0)
  }
}
