import BerthCommands
import Glibc
import LinuxOS

PhaseTrace.mark("cli: main")

var environment: [String: String] = [:]
var envp = environ
while let entry = envp.pointee {
  let text = String(cString: entry)
  if let eq = text.firstIndex(of: "=") { environment[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
  envp += 1
}
exit(BerthCLI.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment))
