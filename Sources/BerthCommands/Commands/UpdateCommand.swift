import EngineAPI
import EngineClient

enum UpdateCommand {
  static let spec = CommandSpec(
    "update", usage: "[OPTIONS] CONTAINER [CONTAINER...]", summary: "Update configuration of one or more containers",
    aliases: ["container update", "update"],
    flags: [
      .typed("uint16", "blkio-weight", nil, "Block IO (relative weight), between 10 and 1000, or 0 to disable"),
      .typed("int", "cpu-period", nil, "Limit CPU CFS (Completely Fair Scheduler) period"),
      .typed("int", "cpu-quota", nil, "Limit CPU CFS (Completely Fair Scheduler) quota"),
      .typed("int", "cpu-shares", "c", "CPU shares (relative weight)"),
      .typed("decimal", "cpus", nil, "Number of CPUs"),
      .string("cpuset-cpus", nil, "CPUs in which to allow execution (0-3, 0,1)"),
      .string("cpuset-mems", nil, "MEMs in which to allow execution (0-3, 0,1)"),
      .typed("bytes", "memory", "m", "Memory limit"),
      .typed("bytes", "memory-reservation", nil, "Memory soft limit"),
      .typed("bytes", "memory-swap", nil, "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
      .typed("int", "pids-limit", nil, "Tune container pids limit (set -1 for unlimited)"),
      .string("restart", nil, "Restart policy to apply when a container exits"),
    ], arguments: .atLeast(1))

  static let command = Command(spec) { ctx, flags in
    var request = ContainerUpdateRequest()
    func bytes(_ name: String) throws -> Int64? {
      guard let v = flags.string(name) else { return nil }
      if v == "-1" { return -1 }
      guard let b = Units.parseBytes(v) else {
        throw CommandError.flag("invalid argument \"\(v)\" for \"--\(name)\" flag: invalid size: '\(v)'", spec)
      }
      return b
    }
    request.memory = try bytes("memory")
    request.memoryReservation = try bytes("memory-reservation")
    request.memorySwap = try bytes("memory-swap")
    request.blkioWeight = flags.int("blkio-weight")
    request.cpuPeriod = flags.int("cpu-period").map(Int64.init)
    request.cpuQuota = flags.int("cpu-quota").map(Int64.init)
    request.cpuShares = flags.int("cpu-shares").map(Int64.init)
    request.cpusetCpus = flags.string("cpuset-cpus")
    request.cpusetMems = flags.string("cpuset-mems")
    request.pidsLimit = flags.int("pids-limit").map(Int64.init)
    if let c = flags.string("cpus") {
      guard let v = Double(c) else { throw CommandError.flag("invalid argument \"\(c)\" for \"--cpus\" flag", spec) }
      request.nanoCpus = Int64((v * 1e9).rounded())
    }
    if let r = flags.string("restart") {
      do {
        request.restartPolicy = try ContainerOptions.parseRestart(r)
      } catch CommandError.status(let m, _) {
        throw CommandError.failure(m)
      }
    }
    let client = try ctx.client()
    return ctx.forEach(flags.positionals) { name in
      let answer = try client.json("POST", "/containers/\(pathEscape(name))/update", body: .encodable(request))
      for w in answer["Warnings"]?.stringArray ?? [] { ctx.errLine(w) }
    }
  }
}
