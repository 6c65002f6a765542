import Glibc
import LinuxOS
import Runtime

/// `berth-runtime`: runc's command line, verb for verb.
public enum RuntimeCLI {
  static let version = "0.1.0"
  static let globalFlags: [FlagSpec] = [
    FlagSpec(names: ["root"], takesValue: true), FlagSpec(names: ["log"], takesValue: true),
    FlagSpec(names: ["log-format"], takesValue: true), FlagSpec(names: ["debug"], takesValue: false),
    FlagSpec(names: ["systemd-cgroup"], takesValue: false), FlagSpec(names: ["criu"], takesValue: true),
    FlagSpec(names: ["rootless"], takesValue: true), FlagSpec(names: ["version", "v"], takesValue: false),
    FlagSpec(names: ["help", "h"], takesValue: false),
  ]

  public static func main(_ arguments: [String]) -> Never {
    PhaseTrace.mark("start \(arguments.dropFirst().first ?? "")")
    if arguments.count > 1, arguments[1] == "init" { InitProcess.main() }
    do {
      let (global, rest) = try ArgumentParser.parse(arguments.dropFirst(), flags: globalFlags, stopAtPositional: true)
      RuntimeLog.shared.configure(path: global.value("log"), json: global.value("log-format") == "json")
      if global.flag("version") {
        print("berth-runtime version \(version)\nspec: 1.1.0")
        exit(0)
      }
      guard let verb = rest.first, !global.flag("help") else {
        print(usage)
        exit(global.flag("help") ? 0 : 1)
      }
      if global.flag("systemd-cgroup") {
        throw UsageError("--systemd-cgroup is not supported: berth-runtime manages cgroups through cgroupfs only")
      }
      let context = CommandContext(runtime: Runtime(root: global.value("root") ?? "/run/berth-runtime"))
      let status = try context.dispatch(verb, Array(rest.dropFirst())[...])
      exit(status)
    } catch {
      RuntimeLog.shared.error("\(error)")
      printError("berth-runtime: \(error)")
      exit(error is UsageError ? 2 : 1)
    }
  }

  static let usage = """
    berth-runtime: an OCI container runtime, a drop-in for runc

    USAGE: berth-runtime [global options] command [command options] [arguments...]

    COMMANDS:
       create    create a container from a bundle
       start     run the user process of a created container
       run       create and start a container
       state     print the state of a container
       list      list containers
       kill      send a signal to a container's init (or all its processes with --all)
       delete    delete a container
       exec      run a new process inside a container
       ps        list the processes of a container
       pause     freeze all processes of a container
       resume    thaw a paused container
       update    change a container's resource limits
       events    print a container's resource usage (--stats)
       features  print the features this runtime supports
       spec      write a new config.json

    GLOBAL OPTIONS:
       --root value        state directory (default: /run/berth-runtime)
       --log value         log file (default: stderr)
       --log-format value  text or json
       --version, -v       print the version
    """
}
