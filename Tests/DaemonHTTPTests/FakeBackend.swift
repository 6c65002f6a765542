import EngineAPI

/// State the fake backend records, for assertions.
actor FakeState {
  var created: [(name: String?, request: ContainerCreateRequest)] = []
  var started: Set<String> = []
  var loadedBytes = 0

  func recordCreate(_ name: String?, _ request: ContainerCreateRequest) { created.append((name, request)) }
  func start(_ id: String) { started.insert(id) }
  func isStarted(_ id: String) -> Bool { started.contains(id) }
  func addLoaded(_ n: Int) { loadedBytes += n }

  func waitStarted(_ id: String) async {
    for _ in 0..<500 where !started.contains(id) {
      try? await Task.sleep(for: .milliseconds(10))
    }
  }
}

/// An in-memory engine: container "c1" (no TTY) and "t1" (TTY) exist; "busy" is always running.
struct FakeBackend: Sendable {
  let state = FakeState()

  func version() async throws -> VersionResponse {
    VersionResponse(
      platform: VersionPlatform(name: "Berth Engine"),
      components: [VersionComponent(name: "Engine", version: "0.1.0-test")], version: "0.1.0-test",
      goVersion: "swift6", kernelVersion: "6.1.0", buildTime: "2025-01-01T00:00:00.000000000+00:00")
  }

  func info() async throws -> SystemInfo {
    SystemInfo(id: "FAKE", containers: 1, containersRunning: 1, name: "fakehost", serverVersion: "0.1.0-test")
  }

  func createContainer(name: String?, request: ContainerCreateRequest) async throws -> ContainerCreateResponse {
    guard request.config.image == "busybox" else {
      throw EngineError.notFound("No such image: \(request.config.image ?? "")")
    }
    await state.recordCreate(name, request)
    return ContainerCreateResponse(id: "c1")
  }

  func listContainers(options: ContainerListOptions) async throws -> [ContainerSummary] {
    [
      ContainerSummary(
        id: "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00", names: ["/web"], image: "busybox",
        imageID: "sha256:1", command: "sleep 1000", created: 1_700_000_000, state: "running", status: "Up 10 seconds")
    ]
  }

  func inspectContainer(id: String, size: Bool) async throws -> ContainerInspect {
    guard id == "c1" || id == "t1" else { throw EngineError.notFound("No such container: \(id)") }
    var c = ContainerInspect(id: id, name: "/\(id)")
    c.config.tty = id == "t1"
    return c
  }

  func startContainer(id: String) async throws {
    if id == "busy" { throw EngineError.conflict("container busy is already running") }
    guard id == "c1" || id == "t1" else { throw EngineError.notFound("No such container: \(id)") }
    await state.start(id)
  }

  func waitContainer(id: String, condition: WaitCondition) async throws -> ContainerWaitHandle {
    guard id == "c1" else { throw EngineError.notFound("No such container: \(id)") }
    let state = self.state
    return ContainerWaitHandle {
      await state.waitStarted(id)
      return ContainerWaitResponse(statusCode: condition == .notRunning ? 3 : 0)
    }
  }

  func containerLogs(id: String, options: ContainerLogsOptions) async throws -> ContainerOutput {
    guard id == "c1" || id == "t1" else { throw EngineError.notFound("No such container: \(id)") }
    let chunks = AsyncThrowingStream<OutputChunk, any Error> { c in
      if options.stdout { c.yield(OutputChunk(stream: .stdout, bytes: Array("hello\n".utf8))) }
      if options.stderr { c.yield(OutputChunk(stream: .stderr, bytes: Array("oops\n".utf8))) }
      c.finish()
    }
    return ContainerOutput(tty: id == "t1", chunks: chunks)
  }

  func attachContainer(id: String, options: ContainerAttachOptions, stream: any HijackedStream) async throws {
    if options.stdin {
      // Echo stdin back on stdout until the client half-closes, then say bye.
      while let bytes = try await stream.read() {
        try await stream.writeOutput(bytes, stream: .stdout, tty: options.tty)
      }
      try await stream.writeOutput(Array("bye\n".utf8), stream: .stderr, tty: options.tty)
      return
    }
    // `docker run`: output appears once the container is started.
    await state.waitStarted(id)
    try await stream.writeOutput(Array("hi from \(id)\n".utf8), stream: .stdout, tty: options.tty)
  }

  func resizeContainer(id: String, height: Int, width: Int) async throws {}

  func createExec(containerID: String, request: ExecCreateRequest) async throws -> IDResponse {
    guard containerID == "c1" else { throw EngineError.notFound("No such container: \(containerID)") }
    return IDResponse(id: "e1")
  }

  func inspectExec(id: String) async throws -> ExecInspect {
    guard id == "e1" else { throw EngineError.notFound("No such exec instance: \(id)") }
    return ExecInspect(id: id, running: false, exitCode: 7, containerID: "c1")
  }

  func startExec(id: String, options: ExecStartRequest, stream: (any HijackedStream)?) async throws {
    try await stream?.writeOutput(Array("exec says hi\n".utf8), stream: .stdout, tty: options.tty)
  }

  func inspectImage(name: String) async throws -> ImageInspect {
    ImageInspect(id: "sha256:feed", repoTags: [name])
  }

  func removeImage(name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem] {
    [ImageDeleteResponseItem(untagged: name)]
  }

  func loadImages(body: ByteStream, quiet: Bool) async throws -> AsyncThrowingStream<ProgressMessage, any Error> {
    var total = 0
    for try await chunk in body { total += chunk.count }
    await state.addLoaded(total)
    let message = ProgressMessage(stream: "Loaded image: fake:latest (\(total) bytes)\n")
    return AsyncThrowingStream { c in
      c.yield(message)
      c.finish()
    }
  }
}
