import EngineClient

enum InfoCommand {
  static let spec = CommandSpec(
    "info", usage: "[OPTIONS]", summary: "Display system-wide information", aliases: ["system info", "info"],
    flags: [
      .string(
        "format", "f",
        "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template"
      )
    ],
    arguments: .none)

  static let command = Command(spec) { ctx, flags in
    let info = try ctx.client().json("GET", "/info")
    if let format = flags.string("format") {
      let text = format == "json" ? info.serialized(escapeHTML: true) : try renderTemplate(format, info)
      ctx.outLine(text)
      return 0
    }
    func s(_ key: String) -> String { info[key].map { GoTemplate.display($0) } ?? "" }
    var out = "Client:\n Version:    \(BerthCLI.version)\n Context:    default\n Debug Mode: false\n\nServer:\n"
    out += " Containers: \(s("Containers"))\n  Running: \(s("ContainersRunning"))\n  Paused: \(s("ContainersPaused"))\n"
    out += "  Stopped: \(s("ContainersStopped"))\n Images: \(s("Images"))\n Server Version: \(s("ServerVersion"))\n"
    out += " Storage Driver: \(s("Driver"))\n"
    for pair in info["DriverStatus"]?.arrayValue ?? [] {
      out += "  \(pair[0].map { GoTemplate.display($0) } ?? ""): \(pair[1].map { GoTemplate.display($0) } ?? "")\n"
    }
    out += " Logging Driver: \(s("LoggingDriver"))\n Cgroup Driver: \(s("CgroupDriver"))\n"
    out += " Cgroup Version: \(s("CgroupVersion"))\n"
    if let runtimes = info["Runtimes"]?.objectValue {
      out += " Runtimes: \(runtimes.map(\.key).joined(separator: " "))\n"
    }
    out += " Default Runtime: \(s("DefaultRuntime"))\n"
    if let options = info["SecurityOptions"]?.arrayValue, !options.isEmpty {
      out += " Security Options:\n"
      for option in options {
        for part in GoTemplate.display(option).split(separator: ",") {
          let kv = part.split(separator: "=", maxSplits: 1)
          if kv.first == "name" {
            out += "  \(kv.count > 1 ? String(kv[1]) : "")\n"
          } else {
            out += "   \(kv.first.map(String.init)?.capitalizedFirst ?? ""): \(kv.count > 1 ? String(kv[1]) : "")\n"
          }
        }
      }
    }
    out += " Kernel Version: \(s("KernelVersion"))\n Operating System: \(s("OperatingSystem"))\n"
    out += " OSType: \(s("OSType"))\n Architecture: \(s("Architecture"))\n CPUs: \(s("NCPU"))\n"
    out += " Total Memory: \(Units.bytesSize(info["MemTotal"]?.doubleValue ?? 0))\n Name: \(s("Name"))\n"
    out += " ID: \(s("ID"))\n Docker Root Dir: \(s("DockerRootDir"))\n Debug Mode: \(s("Debug"))\n"
    out += " Experimental: \(s("ExperimentalBuild"))\n Live Restore Enabled: \(s("LiveRestoreEnabled"))\n"
    ctx.out(out)
    for warning in info["Warnings"]?.stringArray ?? [] { ctx.errLine(warning) }
    return 0
  }
}

extension String {
  var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
