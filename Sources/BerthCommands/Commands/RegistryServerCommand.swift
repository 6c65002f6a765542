// `berth registry serve …` and `berth registry gc …`: Berth's own registry server. It lives
// in its own executable, berth-registry (SwiftNIO and the server library), so `berth` stays
// small; `berth` replaces itself with it, the arguments passed through as they are, as
// `berth cp` does with berth-cp. berth-registry is looked for beside `berth`, then on PATH.
import Glibc
import LinuxOS

enum RegistryServerCommand {
  static let executableName = "berth-registry"

  /// The verbs berth-registry has; `berth registry VERB ARGS…` runs `berth-registry VERB ARGS…`.
  static let verbs: [String: String] = [
    "serve": "Serve the OCI distribution API: berth registry serve ADDRESS --root DIR [OPTIONS]",
    "gc": "Remove the blobs no manifest references: berth registry gc --root DIR [--grace SECONDS]",
  ]

  /// `berth registry` with the arguments after it; returns only when it cannot exec.
  static func run(_ arguments: [String], _ ctx: CommandContext) -> Int32 {
    guard let verb = arguments.first, verbs[verb] != nil else {
      if arguments.isEmpty || arguments.first == "--help" || arguments.first == "-h" {
        ctx.out(helpText)
        return 0
      }
      ctx.errLine(
        "berth: unknown command: berth registry \(arguments[0])\n\nRun 'berth registry --help' for more information")
      return 1
    }
    let argv = [executableName] + arguments
    var pointers: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    let beside = SelfExecutable.path().map { Files.parent(of: $0) + "/" + executableName }
    if let beside, Files.exists(beside) {
      execv(beside, &pointers)
    } else {
      execvp(executableName, &pointers)
    }
    let reason = String(cString: strerror(errno))
    ctx.errLine(
      "berth registry \(verb) needs \(executableName), installed with berth (beside it or on PATH): \(reason)")
    return 127
  }

  static var helpText: String {
    var text = "\nUsage:  berth registry COMMAND\n\nRun Berth's registry server (berth-registry)\n\nCommands:\n"
    for verb in verbs.keys.sorted() {
      text += "  " + verb + String(repeating: " ", count: 8 - verb.count) + (verbs[verb] ?? "") + "\n"
    }
    text += "\nRun 'berth registry COMMAND --help' for more information on a command.\n"
    return text
  }
}
