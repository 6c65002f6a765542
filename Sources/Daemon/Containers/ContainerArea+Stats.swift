// GET /containers/{id}/stats: the container's cgroup counters (Cgroups' `CgroupStats`)
// in docker's stats JSON, with the host's CPU time so the CLI can compute CPU %.
import Cgroups
import EngineAPI
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

extension ContainerArea {
  public func containerStats(id ref: String, options: ContainerStatsOptions) async throws
    -> AsyncThrowingStream<ContainerStats, any Error>
  {
    let r = try record(ref)
    let id = r.id
    let name = r.name
    let cgroupsPath = cgroupParent(of: r) + "/" + id
    let engine = self
    // Interfaces of its own namespace (docker shows none for --network host).
    let interfacesOf: Int32? = r.settings.networkMode == "host" ? nil : r.state.pid
    guard r.state.isRunning else {
      // docker answers a stopped container with one zeroed sample.
      return AsyncThrowingStream { c in
        c.yield(ContainerStats(id: id, name: name))
        c.finish()
      }
    }
    let manager = try await mapErrors {
      try await BlockingPool.shared.run { try Cgroups.manager(cgroupsPath: cgroupsPath, containerID: id) }
    }
    return AsyncThrowingStream { continuation in
      let task = Task {
        var previous: ContainerStats?
        if !options.stream && !options.oneShot {
          // Two samples a second apart, so precpu_stats is filled and CPU % is meaningful.
          previous = try? await BlockingPool.shared.run {
            try ContainerArea.sample(manager, id: id, name: name, interfacesOf: interfacesOf)
          }
          try? await Task.sleep(nanoseconds: 1_000_000_000)
        }
        while !Task.isCancelled {
          guard await engine.isRunning(id),
            var s = try? await BlockingPool.shared.run({
              try ContainerArea.sample(manager, id: id, name: name, interfacesOf: interfacesOf)
            })
          else { break }
          if let p = previous {
            s.precpuStats = p.cpuStats
            s.preread = p.read
          }
          continuation.yield(s)
          if !options.stream { break }
          previous = s
          try? await Task.sleep(nanoseconds: 1_000_000_000)
        }
        continuation.finish()
      }
      continuation.onTermination = { _ in task.cancel() }
    }
  }

  /// One sample of the cgroup's counters, and of the interfaces in the network namespace
  /// of `interfacesOf` (the container's init).
  static func sample(_ manager: any CgroupManager, id: String, name: String, interfacesOf pid: Int32? = nil) throws
    -> ContainerStats
  {
    let cg = try manager.stats()
    var s = ContainerStats(id: id, name: name, read: Timestamps.now())
    if let pid, pid > 0, let text = try? Files.readString("/proc/\(pid)/net/dev") {  // gone: no sample of it
      s.networks = InterfaceCounters.parse(text)
    }
    if let cpu = cg.cpu {
      s.cpuStats = CPUStats(
        cpuUsage: CPUUsage(
          totalUsage: cpu.totalUsageNanos ?? 0, percpuUsage: cpu.perCPUUsageNanos,
          usageInKernelmode: cpu.systemNanos ?? 0, usageInUsermode: cpu.userNanos ?? 0),
        systemCpuUsage: HostCPU.systemUsageNanos(), onlineCpus: UInt32(HostInfo.cpuCount()),
        throttlingData: ThrottlingData(
          periods: cpu.throttlingPeriods ?? 0, throttledPeriods: cpu.throttledPeriods ?? 0,
          throttledTime: cpu.throttledTimeNanos ?? 0))
    } else {
      s.cpuStats = CPUStats(systemCpuUsage: HostCPU.systemUsageNanos(), onlineCpus: UInt32(HostInfo.cpuCount()))
    }
    if let mem = cg.memory {
      let hostTotal = UInt64(max(0, HostInfo.memTotal()))
      let limit = mem.limit.map { min($0, hostTotal) } ?? hostTotal
      s.memoryStats = MemoryStats(
        usage: mem.usage, maxUsage: mem.maxUsage, stats: mem.stat, failcnt: mem.failcnt, limit: limit)
    }
    if let pids = cg.pids {
      s.pidsStats = PidsStats(current: pids.current, limit: pids.limit)
    }
    if let io = cg.blockIO {
      s.blkioStats = BlkioStats(ioServiceBytesRecursive: [
        BlkioStatEntry(major: 0, minor: 0, op: "read", value: io.bytesRead),
        BlkioStatEntry(major: 0, minor: 0, op: "write", value: io.bytesWritten),
      ])
    }
    return s
  }
}

/// The host's CPU time, as docker's `system_cpu_usage`: the sum of the first line of
/// /proc/stat, converted from clock ticks to nanoseconds.
enum HostCPU {
  static func systemUsageNanos() -> UInt64? {
    guard let text = try? Files.readString("/proc/stat"),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
    else { return nil }
    let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }.reduce(0, +)
    let hz = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
    return ticks * (1_000_000_000 / hz)
  }
}

/// /proc/<pid>/net/dev: the counters of each interface of that process's network
/// namespace, as docker's `networks` (loopback left out, as docker does).
enum InterfaceCounters {
  static func parse(_ text: String) -> [String: NetworkStats] {
    var out: [String: NetworkStats] = [:]
    for line in text.split(separator: "\n").dropFirst(2) {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = String(line[..<colon].filter { $0 != " " })
      let n = line[line.index(after: colon)...].split(separator: " ").compactMap { UInt64($0) }
      guard name != "lo", n.count >= 16 else { continue }
      out[name] = NetworkStats(
        rxBytes: n[0], rxPackets: n[1], rxErrors: n[2], rxDropped: n[3], txBytes: n[8], txPackets: n[9],
        txErrors: n[10], txDropped: n[11])
    }
    return out
  }
}
