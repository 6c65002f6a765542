import EngineClient
import Glibc

enum StartCommand {
  static let spec = CommandSpec(
    "start", usage: "[OPTIONS] CONTAINER [CONTAINER...]", summary: "Start one or more stopped containers",
    aliases: ["container start", "start"],
    flags: [
      .bool("attach", "a", "Attach STDOUT/STDERR and forward signals"),
      .string("detach-keys", nil, "Override the key sequence for detaching a container"),
      .bool("interactive", "i", "Attach container's STDIN"),
    ], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    let attach = flags.bool("attach") || flags.bool("interactive")
    guard attach else {
      return ctx.forEach(flags.positionals) { try client.call("POST", "/containers/\(pathEscape($0))/start") }
    }
    guard flags.positionals.count == 1, let name = flags.positionals.first else {
      throw CommandError.failure("you cannot start and attach multiple containers at once")
    }
    let info = try client.json("GET", "/containers/\(pathEscape(name))/json")
    let id = info["Id"]?.stringValue ?? name
    let tty = info["Config"]?["Tty"]?.boolValue ?? false
    let stdin = flags.bool("interactive") && (info["Config"]?["OpenStdin"]?.boolValue ?? false)
    var wait: PendingResponse?
    let detached = try ContainerRunner.attachAndStream(
      ctx, id: id, tty: tty, stdin: stdin, stdout: true, stderr: true, sigProxy: true,
      detachKeys: ContainerRunner.detachKeys(ctx, flag: flags.string("detach-keys")),
      beforeStart: { wait = try client.begin("POST", "/containers/\(pathEscape(id))/wait") },
      start: { try client.call("POST", "/containers/\(pathEscape(id))/start") })
    guard let wait else { return 1 }
    if detached {
      wait.cancel()
      return 0
    }
    let (_, bytes) = try wait.finish()
    let result = (try? JSON.parse(bytes)) ?? .null
    return Int32(truncatingIfNeeded: result["StatusCode"]?.intValue ?? 1)
  }
}

enum AttachCommand {
  static let spec = CommandSpec(
    "attach", usage: "[OPTIONS] CONTAINER",
    summary: "Attach local standard input, output, and error streams to a running container",
    aliases: ["container attach", "attach"],
    flags: [
      .string("detach-keys", nil, "Override the key sequence for detaching a container"),
      .bool("no-stdin", nil, "Do not attach STDIN"),
      .bool("sig-proxy", nil, "Proxy all received signals to the process (default true)"),
    ], arguments: .exactly(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    let name = flags.positionals[0]
    let info = try client.json("GET", "/containers/\(pathEscape(name))/json")
    guard info["State"]?["Running"]?.boolValue == true else {
      throw CommandError.failure("You cannot attach to a stopped container, start it first")
    }
    if info["State"]?["Paused"]?.boolValue == true {
      throw CommandError.failure("You cannot attach to a paused container, unpause it first")
    }
    let id = info["Id"]?.stringValue ?? name
    let tty = info["Config"]?["Tty"]?.boolValue ?? false
    let stdin = !flags.bool("no-stdin") && (info["Config"]?["OpenStdin"]?.boolValue ?? false)
    if tty && stdin && isatty(ctx.io.stdin) != 1 {
      throw CommandError.failure("the input device is not a TTY")
    }
    let detached = try ContainerRunner.attachAndStream(
      ctx, id: id, tty: tty, stdin: stdin, stdout: true, stderr: true, sigProxy: flags.string("sig-proxy") != "false",
      detachKeys: ContainerRunner.detachKeys(ctx, flag: flags.string("detach-keys")), start: {})
    if detached { return 0 }
    let after = try client.json("GET", "/containers/\(pathEscape(id))/json")
    if after["State"]?["Running"]?.boolValue == true { return 0 }
    return Int32(truncatingIfNeeded: after["State"]?["ExitCode"]?.intValue ?? 0)
  }
}
