import LinuxOS
import EngineAPI
import EngineClient
import Glibc

enum RunCommand {
  static let spec = CommandSpec(
    "run", usage: "[OPTIONS] IMAGE [COMMAND] [ARG...]", summary: "Create and run a new container from an image",
    aliases: ["container run", "run"],
    flags: ContainerOptions.flags + [
      .bool("detach", "d", "Run container in background and print container ID"),
      .string("detach-keys", nil, "Override the key sequence for detaching a container"),
      .bool("sig-proxy", nil, "Proxy received signals to the process (default true)"),
    ], interspersed: false, arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    do {
      return try run(ctx, flags)
    } catch let error as FlagError {
      throw CommandError.flag(error.description, spec)
    } catch let error as CommandError {
      if case .status(let message, let code) = error, !message.isEmpty, !message.hasPrefix("berth: ") {
        throw CommandError.status(wrap(message), code)
      }
      throw error
    } catch {
      throw CommandError.status(wrap(describe(error)), 125)
    }
  }

  static func wrap(_ message: String) -> String {
    "berth: \(message)\n\nRun 'berth run --help' for more information"
  }

  static func run(_ ctx: CommandContext, _ flags: ParsedFlags) throws -> Int32 {
    let detach = flags.bool("detach")
    let parsed = try ContainerOptions.parse(flags, environment: ctx.environment, detach: detach)
    let config = parsed.request.config
    let tty = config.tty ?? false
    let attachStdin = config.attachStdin ?? false
    if tty && attachStdin && isatty(ctx.io.stdin) != 1 {
      throw CommandError.status("the input device is not a TTY", 1)
    }
    let pull = flags.string("pull") ?? "missing"
    let id = try ContainerRunner.create(ctx, parsed, pull: pull, quiet: flags.bool("quiet"))
    PhaseTrace.mark("cli: created")
    if let cidfile = flags.string("cidfile") { try? writeFile(cidfile, id) }
    let client = try ctx.client()
    let startPath = "/containers/\(pathEscape(id))/start"
    if detach {
      do {
        try client.call("POST", startPath)
      } catch {
        let message = describe(error)
        throw CommandError.status(wrap(message), ContainerRunner.startFailureCode(message))
      }
      ctx.outLine(id)
      return 0
    }
    let autoRemove = parsed.request.hostConfig?.autoRemove ?? false
    let condition = autoRemove && client.versionAtLeast("1.30") ? "removed" : "next-exit"
    var wait: PendingResponse?
    let detached = try ContainerRunner.attachAndStream(
      ctx, id: id, tty: tty, stdin: attachStdin, stdout: config.attachStdout ?? true,
      stderr: config.attachStderr ?? true, sigProxy: flags.string("sig-proxy").map { $0 != "false" } ?? true,
      detachKeys: ContainerRunner.detachKeys(ctx, flag: flags.string("detach-keys")),
      beforeStart: {
        PhaseTrace.mark("cli: attached")
        wait = try client.begin("POST", "/containers/\(pathEscape(id))/wait", query: [("condition", condition)])
        PhaseTrace.mark("cli: wait sent")
      },
      start: {
        do {
          try client.call("POST", startPath)
          PhaseTrace.mark("cli: started")
        } catch {
          throw CommandError.status(wrap(describe(error)), ContainerRunner.startFailureCode(describe(error)))
        }
      })
    guard let wait else { return 125 }
    if detached {
      // The user detached: the container runs on, there is no exit to wait for.
      wait.cancel()
      return 0
    }
    PhaseTrace.mark("cli: output ended")
    let (_, bytes) = try wait.finish()
    PhaseTrace.mark("cli: wait answered")
    let result = (try? JSON.parse(bytes)) ?? .null
    if let message = result["Error"]?["Message"]?.stringValue, !message.isEmpty {
      throw CommandError.status(wrap(message), 125)
    }
    return Int32(truncatingIfNeeded: result["StatusCode"]?.intValue ?? 125)
  }

  static func writeFile(_ path: String, _ text: String) throws {
    let fd = try FD.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    defer { FD.close(fd) }
    try FD.write(fd, text)
  }
}
