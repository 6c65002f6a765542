import EngineAPI
import NIOHTTP1

extension Router {
  func containerRoute(_ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let s = request.segments
    let q = request.query
    switch (request.method, s.count) {
    case (.POST, 2) where s[1] == "create":
      let body = try await request.decodeJSON(ContainerCreateRequest.self, empty: nil)
      let name = q["name"].flatMap { $0.isEmpty ? nil : $0 }
      try await r.json(try await backends.containers.createContainer(name: name, request: body), status: .created)
    case (.GET, 2) where s[1] == "json":
      let limit = try q.int("limit")
      let options = ContainerListOptions(
        all: q.bool("all"), limit: (limit ?? -1) > 0 ? limit : nil, size: q.bool("size"), filters: try q.filters())
      try await r.json(try await backends.containers.listContainers(options: options))
    case (.POST, 2) where s[1] == "prune":
      try await r.json(try await backends.containers.pruneContainers(filters: try q.filters()))
    case (.DELETE, 2):
      let options = ContainerRemoveOptions(force: q.bool("force"), removeVolumes: q.bool("v"), link: q.bool("link"))
      try await backends.containers.removeContainer(id: s[1], options: options)
      try await r.noContent()
    case (_, 3):
      try await containerAction(id: s[1], action: s[2], request, r)
    default:
      throw PageNotFound()
    }
  }

  private func containerAction(id: String, action: String, _ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let q = request.query
    switch (request.method, action) {
    case (.GET, "json"):
      try await r.json(try await backends.containers.inspectContainer(id: id, size: q.bool("size")))
    case (.POST, "start"):
      try await backends.containers.startContainer(id: id)
      try await r.noContent()
    case (.POST, "stop"):
      try await backends.containers.stopContainer(id: id, options: try stopOptions(q))
      try await r.noContent()
    case (.POST, "restart"):
      try await backends.containers.restartContainer(id: id, options: try stopOptions(q))
      try await r.noContent()
    case (.POST, "kill"):
      try await backends.containers.killContainer(id: id, signal: q["signal"].flatMap { $0.isEmpty ? nil : $0 })
      try await r.noContent()
    case (.POST, "wait"):
      try await wait(id: id, request, r)
    case (.GET, "logs"):
      try await logs(id: id, request, r)
    case (.POST, "attach"):
      try await attach(id: id, request, r)
    case (.POST, "resize"):
      let (h, w) = try terminalSize(q)
      try await backends.containers.resizeContainer(id: id, height: h, width: w)
      try await r.ok()
    case (.GET, "top"):
      try await r.json(
        try await backends.containers.topContainer(id: id, psArgs: q["ps_args"].flatMap { $0.isEmpty ? nil : $0 }))
    case (.GET, "stats"):
      let options = ContainerStatsOptions(stream: q.bool("stream", default: true), oneShot: q.bool("one-shot"))
      let stats = try await backends.containers.containerStats(id: id, options: options)
      if options.stream {
        try await r.streamJSONLines(stats)
      } else {
        var first: ContainerStats?
        for try await sample in stats {
          first = sample
          break
        }
        guard let first else { throw EngineError.internal("no stats sample for container \(id)") }
        try await r.json(first)
      }
    case (.POST, "update"):
      let body = try await request.decodeJSON(ContainerUpdateRequest.self, empty: ContainerUpdateRequest())
      try await r.json(try await backends.containers.updateContainer(id: id, request: body))
    case (.POST, "rename"):
      guard let name = q["name"], !name.isEmpty else { throw EngineError.badParameter("name cannot be empty") }
      try await backends.containers.renameContainer(id: id, newName: name)
      try await r.noContent()
    case (.POST, "pause"):
      try await backends.containers.pauseContainer(id: id)
      try await r.noContent()
    case (.POST, "unpause"):
      try await backends.containers.unpauseContainer(id: id)
      try await r.noContent()
    case (.POST, "exec"):
      let body = try await request.decodeJSON(ExecCreateRequest.self, empty: nil)
      guard let cmd = body.cmd, !cmd.isEmpty else { throw EngineError.badParameter("No exec command specified") }
      try await r.json(try await backends.exec.createExec(containerID: id, request: body), status: .created)
    case (.GET, "changes"):
      try await r.json(try await backends.containers.containerChanges(id: id))
    case (.HEAD, "archive"), (.GET, "archive"), (.PUT, "archive"):
      try await archive(id: id, request, r)
    case (.GET, "export"):
      try await r.streamBytes(try await backends.containers.exportContainer(id: id), contentType: "application/x-tar")
    default:
      throw PageNotFound()
    }
  }

  private func stopOptions(_ q: QueryParameters) throws -> ContainerStopOptions {
    ContainerStopOptions(timeout: try q.int("t"), signal: q["signal"].flatMap { $0.isEmpty ? nil : $0 })
  }

  func terminalSize(_ q: QueryParameters) throws -> (Int, Int) {
    guard let h = try q.int("h"), let w = try q.int("w"), h >= 0, w >= 0 else {
      throw EngineError.badParameter("resize needs h and w (non-negative integers)")
    }
    return (h, w)
  }

  /// dockerd answers 200 as soon as the waiter is registered, then the JSON when it fires:
  /// `docker run` waits for those headers before it starts the container.
  private func wait(id: String, _ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let raw = request.query["condition"] ?? ""
    let condition: WaitCondition
    if raw.isEmpty {
      condition = .notRunning
    } else if let c = WaitCondition(rawValue: raw) {
      condition = c
    } else {
      throw EngineError.badParameter("invalid condition: \"\(raw)\"")
    }
    let handle = try await backends.containers.waitContainer(id: id, condition: condition)
    try await r.startStream(contentType: "application/json")
    var result: ContainerWaitResponse
    do {
      result = try await handle.result()
    } catch {
      result = ContainerWaitResponse(
        statusCode: -1, error: ContainerWaitExitError(message: HTTPResponder.describe(error).1))
    }
    try await r.write(EngineJSON.encodeLine(result))
    try await r.endStream()
  }

  private func logs(id: String, _ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let q = request.query
    let tail = q["tail"].flatMap { $0 == "all" || $0.isEmpty ? nil : Int($0) }
    let options = ContainerLogsOptions(
      follow: q.bool("follow"), stdout: q.bool("stdout"), stderr: q.bool("stderr"), since: try q.timestamp("since"),
      until: try q.timestamp("until"), timestamps: q.bool("timestamps"), tail: tail, details: q.bool("details"))
    guard options.stdout || options.stderr else {
      throw EngineError.badParameter("Bad parameters: you must choose at least one stream")
    }
    let output = try await backends.containers.containerLogs(id: id, options: options)
    try await r.startStream(contentType: request.outputContentType(tty: output.tty))
    for try await chunk in output.chunks {
      try await r.write(output.tty ? chunk.bytes : StdStreamFrame.encode(stream: chunk.stream, chunk.bytes))
    }
    try await r.endStream()
  }

  private func attach(id: String, _ request: HTTPRequest, _ r: HTTPResponder) async throws {
    let q = request.query
    // Checks the container exists (404 before the hijack) and learns whether output is framed.
    let container = try await backends.containers.inspectContainer(id: id, size: false)
    let tty = container.config.tty ?? false
    let options = ContainerAttachOptions(
      stream: q.bool("stream"), stdin: q.bool("stdin"), stdout: q.bool("stdout"), stderr: q.bool("stderr"),
      logs: q.bool("logs"), detachKeys: q["detachKeys"].flatMap { $0.isEmpty ? nil : $0 }, tty: tty)
    let upgrade = request.wantsUpgrade
    let stream = try await r.hijack(upgrade: upgrade, contentType: request.outputContentType(tty: tty))
    if options.logs && upgrade {
      // The docker SDK reads the 101 head through a buffered reader and then reads the raw
      // socket: log bytes that arrive together with the head land in that buffer and are
      // lost. dockerd opens the log file between the two; a moment's pause does the same.
      try? await Task.sleep(nanoseconds: 20_000_000)
    }
    do {
      try await backends.containers.attachContainer(id: id, options: options, stream: stream)
    } catch {
      let message = Array((HTTPResponder.describe(error).1 + "\r\n").utf8)
      try? await stream.writeOutput(message, stream: .stderr, tty: tty)
    }
    await stream.close()
  }
}
