// POST /containers/{id}/update (resources live, through `berth-runtime update`) and rename.
import EngineAPI
import FoundationEssentials
import OCI

extension ContainerArea {
  public func updateContainer(id ref: String, request u: ContainerUpdateRequest) async throws
    -> ContainerUpdateResponse
  {
    let id = try record(ref).id
    return try await transition(id) { try await updateInTurn(id, request: u) }
  }

  private func updateInTurn(_ ref: String, request u: ContainerUpdateRequest) async throws -> ContainerUpdateResponse {
    try await mapErrors {
      let r = try record(ref)
      var res = r.settings.resources
      if let v = u.memory { res.memory = v == 0 ? nil : v }
      if let v = u.memorySwap { res.memorySwap = v == 0 ? nil : v }
      if let v = u.memoryReservation { res.memoryReservation = v == 0 ? nil : v }
      if let v = u.nanoCpus { res.nanoCpus = v == 0 ? nil : v }
      if let v = u.cpuShares { res.cpuShares = v == 0 ? nil : v }
      if let v = u.cpuQuota { res.cpuQuota = v == 0 ? nil : v }
      if let v = u.cpuPeriod { res.cpuPeriod = v == 0 ? nil : v }
      if let v = u.cpusetCpus, !v.isEmpty { res.cpusetCpus = v }
      if let v = u.cpusetMems, !v.isEmpty { res.cpusetMems = v }
      if let v = u.pidsLimit { res.pidsLimit = v }
      if let v = u.blkioWeight, v != 0 { res.blkioWeight = UInt16(exactly: v) }
      if res.nanoCpus != nil && (res.cpuQuota != nil || res.cpuPeriod != nil) {
        throw EngineError.badParameter(
          "Conflicting options: Nano CPUs and CPU Period/Quota cannot both be set")
      }
      if let mem = res.memory, let swap = res.memorySwap, swap > 0, swap < mem {
        throw EngineError.badParameter(
          "Minimum memoryswap limit should be larger than memory limit, see usage")
      }
      if let mem = res.memory, mem > 0, mem < 6 * 1024 * 1024 {
        throw EngineError.badParameter("Minimum memory limit allowed is 6MB")
      }
      // A memory limit raised above the old swap limit moves the swap limit with it (as dockerd).
      if u.memory != nil, u.memorySwap == nil, let mem = res.memory, let oldSwap = r.settings.resources.memorySwap,
        oldSwap > 0, oldSwap < mem
      {
        res.memorySwap = mem * 2
      }
      var restart = r.settings.restartPolicy
      if let p = u.restartPolicy {
        restart = RestartPolicy(name: p.name.isEmpty ? "no" : p.name, maximumRetryCount: p.maximumRetryCount ?? 0)
      }
      if r.state.isRunning {
        var oci = try SpecBuilder.resources(res, privileged: r.settings.privileged)
        oci.devices = nil
        let json = Array(try JSONEncoder().encode(oci))
        let rt = try runtime(for: r)
        do {
          try await BlockingPool.shared.run {
            try rt.checkRunning(["update", "--resources", "-", r.id], pid: r.state.pid, id: r.id, stdin: json)
          }
        } catch let e as DaemonError where e.kind == .conflict {
          // It has just exited: the new limits apply from its next start, as for a stopped one.
          DaemonLog.engine.debug("update of \(r.id): not applied live, the container has exited")
        }
      }
      try containers.update(r.id) {
        $0.settings.resources = res
        $0.settings.restartPolicy = restart
      }
      return ContainerUpdateResponse(warnings: [])
    }
  }

  public func renameContainer(id ref: String, newName: String) async throws {
    let id = try record(ref).id
    try await transition(id) {
      try await mapErrors { _ = try containers.rename(id, to: newName) }
    }
  }
}
