/// Every command, by the names docker gives them.
enum CommandRegistry {
  static let topLevel: [String: Command] = [
    "attach": AttachCommand.command, "build": BuildCommand.command, "commit": CommitCommand.command,
    "cp": CopyCommand.command, "create": CreateCommand.command, "diff": DiffCommand.command,
    "events": EventsCommand.command,
    "exec": ExecCommand.command, "export": ExportCommand.command, "history": HistoryCommand.command,
    "images": ImagesCommand.command, "import": ImportCommand.command, "info": InfoCommand.command,
    "inspect": InspectCommand.command, "kill": KillCommand.command, "load": LoadCommand.command,
    "login": LoginCommand.command, "logout": LogoutCommand.command, "logs": LogsCommand.command,
    "pause": PauseCommand.command, "port": PortCommand.command, "ps": PsCommand.command,
    "pull": PullCommand.command, "push": PushCommand.command, "rename": RenameCommand.command,
    "restart": RestartCommand.command,
    "rm": RmCommand.command, "rmi": RmiCommand.command, "run": RunCommand.command, "save": SaveCommand.command,
    "start": StartCommand.command, "stats": StatsCommand.command, "stop": StopCommand.command,
    "tag": TagCommand.command,
    "top": TopCommand.command, "unpause": UnpauseCommand.command, "update": UpdateCommand.command,
    "version": VersionCommand.command, "wait": WaitCommand.command,
  ]

  static let groups: [String: CommandGroup] = [
    "container": CommandGroup(
      summary: "Manage containers",
      commands: [
        "attach": AttachCommand.command, "commit": CommitCommand.command, "cp": CopyCommand.command,
        "create": CreateCommand.command, "diff": DiffCommand.command, "exec": ExecCommand.command,
        "export": ExportCommand.command,
        "inspect": InspectCommand.typed(
          "container inspect", "container", summary: "Display detailed information on one or more containers"),
        "kill": KillCommand.command, "logs": LogsCommand.command, "ls": PsCommand.command, "list": PsCommand.command,
        "ps": PsCommand.command, "pause": PauseCommand.command, "port": PortCommand.command,
        "prune": SystemCommands.containerPrune, "rename": RenameCommand.command, "restart": RestartCommand.command,
        "rm": RmCommand.command, "remove": RmCommand.command, "run": RunCommand.command, "start": StartCommand.command,
        "stats": StatsCommand.command, "stop": StopCommand.command, "top": TopCommand.command,
        "unpause": UnpauseCommand.command, "update": UpdateCommand.command, "wait": WaitCommand.command,
      ]),
    "image": CommandGroup(
      summary: "Manage images",
      commands: [
        "build": BuildCommand.command, "history": HistoryCommand.command, "import": ImportCommand.command,
        "inspect": InspectCommand.typed(
          "image inspect", "image", summary: "Display detailed information on one or more images"),
        "load": LoadCommand.command, "ls": ImagesCommand.command, "list": ImagesCommand.command,
        "prune": ImagePruneCommand.command, "pull": PullCommand.command, "push": PushCommand.command,
        "rm": RmiCommand.command,
        "remove": RmiCommand.command, "save": SaveCommand.command, "tag": TagCommand.command,
      ]),
    "volume": CommandGroup(
      summary: "Manage volumes",
      commands: [
        "create": VolumeCommands.create, "ls": VolumeCommands.list, "list": VolumeCommands.list,
        "inspect": VolumeCommands.inspect, "rm": VolumeCommands.remove, "remove": VolumeCommands.remove,
        "prune": VolumeCommands.prune,
      ]),
    "network": CommandGroup(
      summary: "Manage networks",
      commands: [
        "connect": NetworkCommands.connect, "create": NetworkCommands.create,
        "disconnect": NetworkCommands.disconnect, "inspect": NetworkCommands.inspect, "ls": NetworkCommands.list,
        "list": NetworkCommands.list, "prune": NetworkCommands.prune, "rm": NetworkCommands.remove,
        "remove": NetworkCommands.remove,
      ]),
    "context": CommandGroup(
      summary: "Manage contexts",
      commands: [
        "create": ContextCommands.create, "inspect": ContextCommands.inspect, "ls": ContextCommands.list,
        "list": ContextCommands.list, "rm": ContextCommands.remove, "remove": ContextCommands.remove,
        "show": ContextCommands.show, "update": ContextCommands.update, "use": ContextCommands.use,
      ]),
    "builder": CommandGroup(
      summary: "Manage builds", commands: ["build": BuildCommand.command, "prune": SystemCommands.builderPrune]),
    // Dispatched by BerthCLI to berth-registry (RegistryServerCommand); listed here for the help.
    "registry": CommandGroup(summary: "Run Berth's registry server", commands: [:]),
    "system": CommandGroup(
      summary: "Manage Berth",
      commands: [
        "df": SystemCommands.df, "info": InfoCommand.command, "prune": SystemCommands.prune,
        "events": EventsCommand.command,
      ]),
  ]
}
