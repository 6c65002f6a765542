import Shim

ShimCommand.main(CommandLine.arguments)
