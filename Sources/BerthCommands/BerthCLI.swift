import EngineClient
import Glibc
import LinuxOS

/// The `berth` command line: global flags, command lookup (top-level and management
/// commands), and docker's error/exit-code conventions.
public enum BerthCLI {
  public static let version = "0.1.0"

  static let globalFlags: [Flag] = [
    .string("config", nil, "Location of client config files"),
    .string(
      "context", "c",
      "Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with \"berth context use\")"
    ),
    .bool("debug", "D", "Enable debug mode"),
    .list("host", "H", "Daemon socket to connect to"),
    .string(
      "log-level", "l", "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")",
      default: "\"info\""),
    .bool("tls", nil, "Use TLS; implied by --tlsverify"),
    .string("tlscacert", nil, "Trust certs signed only by this CA", default: "\"~/.docker/ca.pem\""),
    .string("tlscert", nil, "Path to TLS certificate file", default: "\"~/.docker/cert.pem\""),
    .string("tlskey", nil, "Path to TLS key file", default: "\"~/.docker/key.pem\""),
    .bool("tlsverify", nil, "Use TLS and verify the remote"),
    .bool("version", "v", "Print version information and quit"),
    .bool("help", "h", "Print usage"),
  ]

  /// This process's environment as a dictionary.
  public static func processEnvironment() -> [String: String] {
    var environment: [String: String] = [:]
    var entries = environ
    while let entry = entries.pointee {
      let text = String(cString: entry)
      if let eq = text.firstIndex(of: "=") { environment[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
      entries += 1
    }
    return environment
  }

  /// Runs the CLI with `arguments` (without the program name); returns the exit code.
  public static func main(arguments: [String], environment: [String: String], io: CommandIO = CommandIO()) -> Int32 {
    let ctx = CommandContext(environment: environment, io: io)
    let global: ParsedFlags
    do {
      global = try FlagParser.parse(arguments, flags: globalFlags, interspersed: false)
    } catch {
      ctx.errLine("\(describe(error))\n\nUsage:  berth [OPTIONS] COMMAND\n\nRun 'berth --help' for more information")
      return 125
    }
    ctx.hostFlag = global.string("host")
    ctx.contextFlag = global.string("context")
    ctx.configFlag = global.string("config")
    ctx.tlsFlags = TLSFlags(
      tls: global.bools["tls"], verify: global.bools["tlsverify"], caCert: global.string("tlscacert"),
      cert: global.string("tlscert"), key: global.string("tlskey"))
    if global.bool("version") {
      ctx.outLine("Berth version \(version)")
      return 0
    }
    var rest = global.positionals
    guard let first = rest.first, !global.bool("help") else {
      ctx.out(mainHelp())
      return 0
    }
    rest.removeFirst()
    // As docker: one daemon per invocation; several -H are refused, not silently reduced.
    if global.all("host").count > 1 && first != "help" {
      ctx.errLine("Failed to initialize: unable to resolve berth endpoint: Specify only one -H")
      return 1
    }
    if first == "help" {
      if let name = rest.first, let command = CommandRegistry.topLevel[name] {
        ctx.out(command.spec.helpText())
      } else {
        ctx.out(mainHelp())
      }
      return 0
    }
    // Its flags are berth-registry's, which parses them: passed through as they are.
    if first == "registry" { return RegistryServerCommand.run(rest, ctx) }
    let command: Command
    if let group = CommandRegistry.groups[first] {
      guard let sub = rest.first, !sub.hasPrefix("-") else {
        if rest.first == "--help" || rest.first == "-h" || rest.isEmpty {
          ctx.out(group.helpText(first))
          return 0
        }
        ctx.errLine(
          "unknown flag: \(rest.first ?? "")\n\nUsage:  berth \(first) COMMAND\n\nRun 'berth \(first) --help' for more information"
        )
        return 125
      }
      guard let found = group.commands[sub] else {
        ctx.errLine("berth: unknown command: berth \(first) \(sub)\n\nRun 'berth \(first) --help' for more information")
        return 1
      }
      rest.removeFirst()
      command = found.named("\(first) \(sub)")
    } else if let found = CommandRegistry.topLevel[first] {
      command = found
    } else {
      ctx.errLine("berth: unknown command: berth \(first)\n\nRun 'berth --help' for more information")
      return 1
    }
    return execute(command, rest, ctx)
  }

  static func execute(_ command: Command, _ arguments: [String], _ ctx: CommandContext) -> Int32 {
    do {
      let flags = try command.spec.parse(arguments)
      return try command.run(ctx, flags)
    } catch let error as CommandError {
      switch error {
      case .flag(let message, let spec):
        ctx.errLine("\(message)\n\n\(spec.usageLine)\n\nRun 'berth \(spec.path) --help' for more information")
        return 125
      case .arguments(let message, let spec):
        ctx.errLine("berth: \(message)\n\n\(spec.usageLine)\n\nSee 'berth \(spec.path) --help' for more information")
        return 1
      case .help(let spec):
        ctx.out(spec.helpText())
        return 0
      case .failure(let message):
        ctx.errLine(message)
        return 1
      case .status(let message, let code):
        if !message.isEmpty { ctx.errLine(message) }
        return code
      case .exit(let code):
        return code
      }
    } catch {
      ctx.errLine(describe(error))
      return 1
    }
  }

  static func mainHelp() -> String {
    var text = "\nUsage:  berth [OPTIONS] COMMAND\n\nA Docker-compatible container engine\n\nCommands:\n"
    let names = CommandRegistry.topLevel.keys.sorted()
    let width = ((names + CommandRegistry.groups.keys).map(\.count).max() ?? 8) + 2
    for name in names {
      guard let c = CommandRegistry.topLevel[name] else { continue }
      text += "  " + name + String(repeating: " ", count: width - name.count) + c.spec.summary + "\n"
    }
    text += "\nManagement Commands:\n"
    for name in CommandRegistry.groups.keys.sorted() {
      guard let g = CommandRegistry.groups[name] else { continue }
      text += "  " + name + String(repeating: " ", count: width - name.count) + g.summary + "\n"
    }
    text += "\nGlobal Options:\n"
    for flag in globalFlags {
      let left =
        (flag.short.map { "  -\($0), " } ?? "      ") + "--\(flag.long)" + (flag.takesValue ? " \(flag.typeName)" : "")
      text += left + String(repeating: " ", count: max(1, 26 - left.count)) + flag.help + "\n"
    }
    text += "\nRun 'berth COMMAND --help' for more information on a command.\n"
    return text
  }
}

/// A management command (`container`, `image`, `volume`, `system`).
struct CommandGroup: Sendable {
  var summary: String
  var commands: [String: Command]

  func helpText(_ name: String) -> String {
    var text = "\nUsage:  berth \(name) COMMAND\n\n\(summary)\n\nCommands:\n"
    var seen: [String: String] = [:]
    for (sub, c) in commands where seen[c.spec.summary] == nil || sub.count < (seen[c.spec.summary]?.count ?? 0) {
      seen[c.spec.summary] = sub
    }
    let subs = seen.values.sorted()
    let width = (subs.map(\.count).max() ?? 8) + 2
    for sub in subs {
      guard let c = commands[sub] else { continue }
      text += "  " + sub + String(repeating: " ", count: width - sub.count) + c.spec.summary + "\n"
    }
    text += "\nRun 'berth \(name) COMMAND --help' for more information on a command.\n"
    return text
  }
}
