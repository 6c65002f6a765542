import JSONCoding
import Glibc
import LinuxOS
import OCI
import Runtime

/// Runs one verb. Each returns the process exit status.
struct CommandContext {
  let runtime: Runtime

  func dispatch(_ verb: String, _ arguments: ArraySlice<String>) throws -> Int32 {
    switch verb {
    case "create": return try create(arguments)
    case "start": return try start(arguments)
    case "run": return try run(arguments)
    case "state": return try state(arguments)
    case "list": return try list(arguments)
    case "kill": return try kill(arguments)
    case "delete": return try delete(arguments)
    case "exec": return try exec(arguments)
    case "ps": return try ps(arguments)
    case "pause": return try simple(arguments, runtime.pause)
    case "resume": return try simple(arguments, runtime.resume)
    case "update": return try update(arguments)
    case "events": return try events(arguments)
    case "features": return try features(arguments)
    case "spec": return try spec(arguments)
    case "checkpoint", "restore":
      throw RuntimeError("\(verb) is not supported by berth-runtime")
    default:
      throw UsageError("no such command: \(verb)")
    }
  }

  static let createFlags: [FlagSpec] = [
    FlagSpec(names: ["bundle", "b"], takesValue: true), FlagSpec(names: ["console-socket"], takesValue: true),
    FlagSpec(names: ["pid-file"], takesValue: true), FlagSpec(names: ["no-pivot"], takesValue: false),
    FlagSpec(names: ["no-new-keyring"], takesValue: false), FlagSpec(names: ["preserve-fds"], takesValue: true),
    FlagSpec(names: ["handshake-fd"], takesValue: true),
  ]

  func containerID(_ parsed: ParsedArguments, verb: String) throws -> String {
    guard let id = parsed.positionals.first else {
      throw UsageError("\(verb): \"\(verb)\" requires exactly 1 argument(s)")
    }
    return id
  }

  func createOptions(_ parsed: ParsedArguments) throws -> Runtime.CreateOptions {
    var options = Runtime.CreateOptions(bundle: parsed.value("bundle") ?? ".")
    options.consoleSocket = parsed.value("console-socket")
    options.pidFile = parsed.value("pid-file")
    if let text = parsed.value("preserve-fds") {
      guard let n = Int(text), n >= 0 else { throw UsageError("--preserve-fds: invalid number \(text)") }
      options.preserveFDs = n
    }
    return options
  }

  func create(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: Self.createFlags)
    let id = try containerID(parsed, verb: "create")
    let handshake = try CreateHandshake(parsed.value("handshake-fd"))
    try handshake?.awaitGo()
    _ = try runtime.create(id: id, options: try createOptions(parsed))
    handshake?.reportCreated()
    return 0
  }

  func start(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: [])
    try runtime.start(id: try containerID(parsed, verb: "start"))
    return 0
  }

  func simple(_ arguments: ArraySlice<String>, _ action: (String) throws -> Void) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: [])
    for id in parsed.positionals { try action(id) }
    if parsed.positionals.isEmpty { throw UsageError("a container id is required") }
    return 0
  }

  func state(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: [])
    let state = try runtime.state(id: try containerID(parsed, verb: "state"))
    try JSONOutput.print(state)
    return 0
  }

  func list(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(
      arguments,
      flags: [FlagSpec(names: ["format", "f"], takesValue: true), FlagSpec(names: ["quiet", "q"], takesValue: false)])
    let states = runtime.list()
    if parsed.flag("quiet") {
      for s in states { print(s.id) }
    } else if parsed.value("format") == "json" {
      try JSONOutput.print(states, pretty: false)
    } else {
      var rows = [["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]]
      rows += states.map {
        [$0.id, String($0.pid), $0.status, $0.bundle, $0.created, $0.owner.isEmpty ? "root" : $0.owner]
      }
      print(Table.render(rows), terminator: "")
    }
    return 0
  }

  func kill(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: [FlagSpec(names: ["all", "a"], takesValue: false)])
    let id = try containerID(parsed, verb: "kill")
    let signal = try Signals.parse(parsed.positionals.dropFirst().first ?? "SIGTERM")
    try runtime.kill(id: id, signal: signal, all: parsed.flag("all"))
    return 0
  }

  func delete(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: [FlagSpec(names: ["force", "f"], takesValue: false)])
    if parsed.positionals.isEmpty { throw UsageError("delete: a container id is required") }
    for id in parsed.positionals { try runtime.delete(id: id, force: parsed.flag("force")) }
    return 0
  }

  func ps(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: [FlagSpec(names: ["format", "f"], takesValue: true)])
    let id = try containerID(parsed, verb: "ps")
    let pids = try runtime.processes(id: id)
    if parsed.value("format") == "json" {
      try JSONOutput.print(pids, pretty: false)
      return 0
    }
    // As runc: the host's `ps` output, filtered to the container's processes.
    let psArguments = parsed.positionals.count > 1 ? Array(parsed.positionals.dropFirst()) : ["-ef"]
    let output = try Subprocess.output("/bin/ps", psArguments)
    var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard !lines.isEmpty else { return 0 }
    let header = lines.removeFirst()
    guard let pidColumn = header.split(separator: " ").firstIndex(of: "PID") else {
      throw RuntimeError("couldn't find PID field in ps output")
    }
    print(header)
    let wanted = Set(pids)
    for line in lines {
      let fields = line.split(separator: " ")
      if fields.count > pidColumn, let pid = Int32(fields[pidColumn]), wanted.contains(pid) { print(line) }
    }
    return 0
  }

  func features(_ arguments: ArraySlice<String>) throws -> Int32 {
    try JSONOutput.print(FeaturesReport.current())
    return 0
  }

  func spec(_ arguments: ArraySlice<String>) throws -> Int32 {
    let (parsed, _) = try ArgumentParser.parse(
      arguments,
      flags: [FlagSpec(names: ["bundle", "b"], takesValue: true), FlagSpec(names: ["rootless"], takesValue: false)])
    let bundle = parsed.value("bundle") ?? "."
    let path = "\(bundle)/config.json"
    if Files.exists(path) { throw RuntimeError("File \(path) exists. Remove it first") }
    let json = try JSON.encode(DefaultSpec.make(), options: .init(pretty: true, sortedKeys: true))
    try Files.writeAtomically(path, json + [10])
    return 0
  }
}
