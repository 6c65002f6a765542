// RUN: the command runs as an ordinary container of the stage's image (the same shim and
// runtime path as `docker run`), its output goes to the client, and its writable layer is
// committed as the step's image.
import Dockerfile
import EngineAPI
import Images
import OCI

extension BuildRun {
  func runStep(_ run: RunInstruction, in state: inout StageState) async throws {
    guard run.security == nil || run.security == .sandbox else {
      throw BuildFailure("RUN --security=insecure is not allowed")
    }
    let argv = try Self.runArguments(run, shell: state.shell)
    let network = try Self.networkMode(run.network, default: options.networkMode)
    let mounts = try runMounts(run.mounts, state: state)
    let description =
      "RUN " + run.mounts.map { "--mount=\($0.raw) " }.joined() + argv.joined(separator: " ")
    try await ensureBase(&state)
    let store = images
    let containers = area.containerArea
    try await cached(
      &state, description: description, extra: state.argsOnlyForRun + ["network=\(network ?? "")"] + mounts.key
    ) {
      s in
      guard let parent = s.image else { throw BuildFailure("RUN needs a base image") }
      var config = ContainerConfig()
      config.image = parent.id.description
      config.cmd = argv
      config.entrypoint = []
      config.env = s.runEnvironment
      config.user = s.config.user
      config.workingDir = s.workingDirectory
      var host = HostConfig()
      host.networkMode = network
      if !mounts.mounts.isEmpty { host.mounts = mounts.mounts }
      let id = try await containers.createContainer(
        name: nil, request: ContainerCreateRequest(config: config, hostConfig: host)
      ).id
      do {
        let image = try await runAndCommit(id, argv: argv, state: s, description: description, store: store)
        await removeIntermediate(id)
        return image
      } catch {
        await removeIntermediate(id)
        throw error
      }
    }
  }

  private func runAndCommit(
    _ id: String, argv: [String], state s: StageState, description: String, store: ImageStore
  ) async throws -> Image {
    let containers = area.containerArea
    let exit = try await containers.waitContainer(id: id, condition: .nextExit)
    say(" ---> Running in \(id.prefix(12))\n")
    let code = try await withTaskCancellationHandler {
      try await containers.startContainer(id: id)
      return try await relayOutput(id, until: exit)
    } onCancel: {
      Task { try? await containers.killContainer(id: id, signal: "KILL") }
    }
    guard code == 0 else {
      throw BuildFailure("The command '\(argv.joined(separator: " "))' returned a non-zero code: \(code)")
    }
    let upper = try await containers.containerLayerDirectories(id).upper
    return try await BlockingPool.shared.run {
      try store.commit(
        upperDirectory: upper, parent: s.image, config: s.config, author: s.author, createdBy: description,
        intermediate: true)
    }
  }

  /// Sends the container's output to the client as it comes, until it exits; returns its
  /// exit code. A following reader polls the log; at the exit it is stopped and the lines
  /// it had not reached yet are read at once (instead of after its next poll).
  private func relayOutput(_ id: String, until exit: ContainerWaitHandle) async throws -> Int {
    let containers = area.containerArea
    let options = ContainerLogsOptions(stdout: true, stderr: true)
    var following = options
    following.follow = true
    let logs = try await containers.containerLogs(id: id, options: following)
    let relay = self
    let follower = Task { () -> Int in
      var relayed = 0
      do {
        for try await chunk in logs.chunks {
          relay.say(String(decoding: chunk.bytes, as: UTF8.self))
          relayed += chunk.bytes.count
        }
      } catch {
        DaemonLog.engine.debug("build: reading the output of \(id): \(error)")
      }
      return relayed
    }
    let code = try await exit.result().statusCode
    follower.cancel()
    var skip = await follower.value
    for try await chunk in try await containers.containerLogs(id: id, options: options).chunks {
      if skip >= chunk.bytes.count {
        skip -= chunk.bytes.count
        continue
      }
      say(String(decoding: chunk.bytes.dropFirst(skip), as: UTF8.self))
      skip = 0
    }
    return code
  }

  /// Removes a step's container (killing it if it still runs).
  func removeIntermediate(_ id: String) async {
    do {
      try await area.containerArea.removeContainer(id: id, options: ContainerRemoveOptions(force: true))
      say("Removing intermediate container \(id.prefix(12))\n")
    } catch {
      DaemonLog.engine.warning("build: could not remove the step container \(id): \(error)")
    }
  }

  /// The command line of a RUN: the exec form as written; the shell form (or a heredoc that
  /// is the whole command) under the stage's shell.
  static func runArguments(_ run: RunInstruction, shell: [String]) throws -> [String] {
    switch run.command {
    case .exec(let args):
      guard run.heredocs.isEmpty else { throw BuildFailure("RUN: heredocs need the shell form") }
      return args
    case .shell(let line):
      if run.heredocs.isEmpty { return shell + [line] }
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard run.heredocs.count == 1, words.count == 1, words[0].hasPrefix("<<"), let doc = run.heredocs.first else {
        throw BuildFailure("RUN: only a heredoc that is the whole command (RUN <<EOF) is supported by this builder yet")
      }
      return shell + [doc.content]
    }
  }

  /// `RUN --network` (or the build's `networkmode`) as a container's network mode; nil is
  /// the daemon's default network.
  static func networkMode(_ flag: NetworkMode?, default build: String?) throws -> String? {
    switch flag {
    case .some(.none): return "none"
    case .some(.host): return "host"
    case .some(.default): return nil
    case nil:
      guard let build, build != "default" else { return nil }
      return build
    }
  }

  /// A filesystem step on `FROM scratch` needs an image to make its container from: the
  /// empty image (the same one every time, so the cache finds the steps after it).
  func ensureBase(_ state: inout StageState) async throws {
    guard state.image == nil else { return }
    let store = images
    state.image = try await BlockingPool.shared.run {
      try store.storeImage(
        config: ImageConfig(
          architecture: store.platform.architecture, os: store.platform.os, variant: store.platform.variant,
          config: ImageConfig.Config(), history: []),
        layers: [], reference: nil, intermediate: true)
    }
  }
}
