import EngineClient

/// stop, restart, kill, rm, pause, unpause, rename, wait.
enum StopCommand {
  static let spec = CommandSpec(
    "stop", usage: "[OPTIONS] CONTAINER [CONTAINER...]", summary: "Stop one or more running containers",
    aliases: ["container stop", "stop"],
    flags: [
      .string("signal", "s", "Signal to send to the container"),
      .int("timeout", "t", "Seconds to wait before killing the container"),
      .int("time", nil, "Seconds to wait before killing the container (deprecated: use --timeout)"),
    ], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    var query: [(String, String)] = []
    if let t = flags.int("timeout") ?? flags.int("time") { query.append(("t", String(t))) }
    if let s = flags.string("signal") { query.append(("signal", s)) }
    return ctx.forEach(flags.positionals) {
      try client.call("POST", "/containers/\(pathEscape($0))/stop", query: query)
    }
  }
}

enum RestartCommand {
  static let spec = CommandSpec(
    "restart", usage: "[OPTIONS] CONTAINER [CONTAINER...]", summary: "Restart one or more containers",
    aliases: ["container restart", "restart"],
    flags: [
      .string("signal", "s", "Signal to send to the container"),
      .int("timeout", "t", "Seconds to wait before killing the container"),
      .int("time", nil, "Seconds to wait before killing the container (deprecated: use --timeout)"),
    ], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    var query: [(String, String)] = []
    if let t = flags.int("timeout") ?? flags.int("time") { query.append(("t", String(t))) }
    if let s = flags.string("signal") { query.append(("signal", s)) }
    return ctx.forEach(flags.positionals) {
      try client.call("POST", "/containers/\(pathEscape($0))/restart", query: query)
    }
  }
}

enum KillCommand {
  static let spec = CommandSpec(
    "kill", usage: "[OPTIONS] CONTAINER [CONTAINER...]", summary: "Kill one or more running containers",
    aliases: ["container kill", "kill"], flags: [.string("signal", "s", "Signal to send to the container")],
    arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    var query: [(String, String)] = []
    if let s = flags.string("signal") { query.append(("signal", s)) }
    return ctx.forEach(flags.positionals) {
      try client.call("POST", "/containers/\(pathEscape($0))/kill", query: query)
    }
  }
}

enum RmCommand {
  static let spec = CommandSpec(
    "rm", usage: "[OPTIONS] CONTAINER [CONTAINER...]", summary: "Remove one or more containers",
    aliases: ["container rm", "container remove", "rm"],
    flags: [
      .bool("force", "f", "Force the removal of a running container (uses SIGKILL)"),
      .bool("link", "l", "Remove the specified link"),
      .bool("volumes", "v", "Remove anonymous volumes associated with the container"),
    ], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    var query: [(String, String)] = []
    if flags.bool("force") { query.append(("force", "1")) }
    if flags.bool("volumes") { query.append(("v", "1")) }
    if flags.bool("link") { query.append(("link", "1")) }
    var failed = false
    for name in flags.positionals {
      do {
        try client.call("DELETE", "/containers/\(pathEscape(name))", query: query)
        ctx.outLine(name)
      } catch let error as EngineClientError where flags.bool("force") && error.statusCode == 404 {
        continue  // docker rm -f ignores missing containers
      } catch {
        ctx.errLine(describe(error))
        failed = true
      }
    }
    return failed ? 1 : 0
  }
}

enum PauseCommand {
  static let spec = CommandSpec(
    "pause", usage: "CONTAINER [CONTAINER...]", summary: "Pause all processes within one or more containers",
    aliases: ["container pause", "pause"], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    return ctx.forEach(flags.positionals) { try client.call("POST", "/containers/\(pathEscape($0))/pause") }
  }
}

enum UnpauseCommand {
  static let spec = CommandSpec(
    "unpause", usage: "CONTAINER [CONTAINER...]", summary: "Unpause all processes within one or more containers",
    aliases: ["container unpause", "unpause"], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    return ctx.forEach(flags.positionals) { try client.call("POST", "/containers/\(pathEscape($0))/unpause") }
  }
}

enum RenameCommand {
  static let spec = CommandSpec(
    "rename", usage: "CONTAINER NEW_NAME", summary: "Rename a container", aliases: ["container rename", "rename"],
    arguments: .exactly(2))

  static let command = Command(spec) { ctx, flags in
    let old = flags.positionals[0]
    let new = flags.positionals[1].trimmedSpaces()
    guard !old.isEmpty, !new.isEmpty else {
      throw CommandError.failure("Error: Neither old nor new names may be empty")
    }
    try ctx.client().call("POST", "/containers/\(pathEscape(old))/rename", query: [("name", new)])
    return 0
  }
}

enum WaitCommand {
  static let spec = CommandSpec(
    "wait", usage: "CONTAINER [CONTAINER...]",
    summary: "Block until one or more containers stop, then print their exit codes",
    aliases: ["container wait", "wait"], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    let client = try ctx.client()
    var failed = false
    for name in flags.positionals {
      do {
        let result = try client.json("POST", "/containers/\(pathEscape(name))/wait")
        if let message = result["Error"]?["Message"]?.stringValue, !message.isEmpty {
          throw CommandError.failure(message)
        }
        ctx.outLine(String(result["StatusCode"]?.intValue ?? -1))
      } catch {
        ctx.errLine(describe(error))
        failed = true
      }
    }
    return failed ? 1 : 0
  }
}
