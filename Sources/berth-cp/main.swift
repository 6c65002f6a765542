// `berth cp`, with the tar work that `berth` leaves out (see CopyTarWork.swift): `berth`
// re-executes this with its own arguments, so the command line is parsed the same way.
import BerthCommands
import BerthCopy
import Glibc

CopyHelper.tarWork = ArchiveTarWork()
exit(BerthCLI.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: BerthCLI.processEnvironment()))
