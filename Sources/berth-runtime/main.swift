import RuntimeCommands

RuntimeCLI.main(CommandLine.arguments)
