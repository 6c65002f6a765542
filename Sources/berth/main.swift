import BerthCommands
import Glibc
import LinuxOS

PhaseTrace.mark("cli: main")
exit(BerthCLI.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: BerthCLI.processEnvironment()))
