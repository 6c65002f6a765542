// Listing and logs (json-file, read back from the log the shim writes).
import EngineAPI
import FoundationEssentials
import LinuxOS

extension ContainerArea {
  public func listContainers(options: ContainerListOptions) async throws -> [ContainerSummary] {
    var out: [ContainerSummary] = []
    for r in containers.all() where options.all || r.state.isRunning {
      let f = options.filters.fields
      if let names = f["name"], !names.contains(where: { r.shortName.contains($0) }) { continue }
      if let ids = f["id"], !ids.contains(where: { r.id.hasPrefix($0) }) { continue }
      if let st = f["status"], !st.contains(r.state.status.rawValue) { continue }
      if let labels = f["label"],
        !labels.allSatisfy({ l in
          let kv = l.split(separator: "=", maxSplits: 1).map(String.init)
          guard let v = r.settings.labels?[kv[0]] else { return false }
          return kv.count == 1 || v == kv[1]
        })
      {
        continue
      }
      if let anc = f["ancestor"], !anc.contains(where: { $0 == r.imageName || r.imageID.contains($0) }) { continue }
      var s = ContainerSummary(
        id: r.id, names: [r.name], image: r.imageName,
        command: ((r.settings.entrypoint ?? []) + (r.settings.cmd ?? [])).joined(separator: " "),
        created: Int64(Timestamps.parse(r.created) ?? 0), labels: r.settings.labels ?? [:],
        state: r.state.status.rawValue, status: Self.statusText(r.state))
      s.imageID = r.imageID
      s.hostConfig = SummaryHostConfig(networkMode: r.settings.networkMode ?? "default")
      let networking = networkArea.summary(r)
      s.ports = networking.ports
      s.networkSettings = SummaryNetworkSettings(networks: networking.networks)
      out.append(s)
      if let limit = options.limit, limit > 0, out.count >= limit { break }
    }
    return out
  }

  static func statusText(_ s: ContainerState) -> String {
    func ago(_ ts: String) -> String {
      let secs = Int(max(0, (Timestamps.parse(Timestamps.now()) ?? 0) - (Timestamps.parse(ts) ?? 0)))
      switch secs {
      case ..<1: return "Less than a second"
      case ..<60: return "\(secs) seconds"
      case ..<3600: return secs < 120 ? "About a minute" : "\(secs / 60) minutes"
      case ..<86400: return secs < 7200 ? "About an hour" : "\(secs / 3600) hours"
      default: return "\(secs / 86400) days"
      }
    }
    switch s.status {
    case .created: return "Created"
    case .running: return "Up " + ago(s.startedAt) + healthSuffix(s)
    case .paused: return "Up " + ago(s.startedAt) + " (Paused)"
    case .exited: return "Exited (\(s.exitCode)) " + ago(s.finishedAt) + " ago"
    case .restarting: return "Restarting (\(s.exitCode)) " + ago(s.finishedAt) + " ago"
    default: return s.status.rawValue.capitalized
    }
  }

  struct LogLine: Decodable {
    var log: String
    var stream: String
    var time: String
  }

  public func containerLogs(id ref: String, options: ContainerLogsOptions) async throws -> ContainerOutput {
    let record = try record(ref)
    guard (record.settings.log ?? .jsonFile).isReadable else {
      throw EngineError.notImplemented("configured logging driver does not support reading")
    }
    let path = record.logPath
    let engine = self
    let id = record.id
    // Opened now: a container removed right after (`docker run --rm`, the SDK's run) takes
    // its log file with it, and an open file still reads what it held.
    let log = LogFile(path: path)
    let chunks = AsyncThrowingStream<OutputChunk, any Error> { continuation in
      // Off the actor: a read must not wait behind this container's transitions.
      let task = Task.detached {
        defer { log.close() }
        var pending: [UInt8] = []
        var first = true
        var lastPass = false
        while !Task.isCancelled {
          pending += await BlockingPool.shared.run { log.readAppended() }
          var lines: [LogLine] = []
          while let nl = pending.firstIndex(of: 10) {
            do {
              lines.append(try JSONDecoder().decode(LogLine.self, from: Data(pending[..<nl])))
            } catch {
              DaemonLog.engine.debug("logs of \(id): skipping a line that is not a log entry: \(error)")
            }
            pending.removeSubrange(...nl)
          }
          if first, let tail = options.tail, tail >= 0 { lines = Array(lines.suffix(tail)) }
          first = false
          for l in lines {
            let t = Timestamps.parse(l.time) ?? 0
            if let since = options.since, since > 0, t < since { continue }
            if let until = options.until, until > 0, t > until { continue }
            let stream: StdStream = l.stream == "stderr" ? .stderr : .stdout
            if stream == .stdout && !options.stdout { continue }
            if stream == .stderr && !options.stderr { continue }
            let text = (options.timestamps ? l.time + " " : "") + l.log
            continuation.yield(OutputChunk(stream: stream, bytes: Array(text.utf8)))
          }
          guard options.follow, !lastPass else { break }
          // Once the container has stopped, one more read: its last lines may have been
          // written after the read above (the shim writes them before it reports the exit).
          if await !engine.isRunning(id) {
            lastPass = true
            continue
          }
          do {
            try await Task.sleep(nanoseconds: 100_000_000)
          } catch {
            break  // cancelled: the client left
          }
        }
        continuation.finish()
      }
      continuation.onTermination = { _ in task.cancel() }
    }
    return ContainerOutput(tty: record.settings.tty, chunks: chunks)
  }

  func isRunning(_ id: String) -> Bool { (try? containers.get(id))?.state.isRunning ?? false }
}
