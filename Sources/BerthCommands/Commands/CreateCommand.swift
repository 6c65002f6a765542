import EngineClient

enum CreateCommand {
  static let spec = CommandSpec(
    "create", usage: "[OPTIONS] IMAGE [COMMAND] [ARG...]", summary: "Create a new container",
    aliases: ["container create", "create"], flags: ContainerOptions.flags, interspersed: false, arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    do {
      let parsed = try ContainerOptions.parse(flags, environment: ctx.environment, detach: false)
      let id = try ContainerRunner.create(
        ctx, parsed, pull: flags.string("pull") ?? "missing", quiet: flags.bool("quiet"))
      if let cidfile = flags.string("cidfile") { try? RunCommand.writeFile(cidfile, id) }
      ctx.outLine(id)
      return 0
    } catch let error as FlagError {
      throw CommandError.flag(error.description, spec)
    } catch let error as CommandError {
      if case .status(let message, let code) = error, !message.isEmpty, !message.hasPrefix("berth: ") {
        throw CommandError.status("berth: \(message)\n\nRun 'berth create --help' for more information", code)
      }
      throw error
    } catch {
      throw CommandError.status(
        "berth: \(describe(error))\n\nRun 'berth create --help' for more information", 125)
    }
  }
}
