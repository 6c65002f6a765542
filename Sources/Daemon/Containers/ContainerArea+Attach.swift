// Attach: to a running container's shim, or (docker run's order) to a created one as soon
// as start has launched its shim and before the process runs.
import EngineAPI
import LinuxOS
import Shim

extension ContainerArea {
  public func attachContainer(id ref: String, options: ContainerAttachOptions, stream: any HijackedStream) async throws
  {
    PhaseTrace.mark("d: attach")
    try await mapErrors {
      let record = try record(ref)
      let id = record.id
      // logs=1: what the container wrote so far, first (the docker SDK's
      // attach(logs=True, stream=False) on an exited container reads just that).
      if options.logs, (record.settings.log ?? .jsonFile).isReadable {
        let history = try await containerLogs(
          id: id, options: ContainerLogsOptions(stdout: options.stdout, stderr: options.stderr))
        for try await chunk in history.chunks {
          try await stream.writeOutput(chunk.bytes, stream: chunk.stream, tty: options.tty)
        }
      }
      guard options.stream else { return }
      // Woken by a start that waits for this attacher (see AttachGate).
      let awaitedByStart = !record.state.isRunning
      if awaitedByStart {
        let launched = await withCheckedContinuation { launchWaiters[id, default: []].append($0) }
        guard launched else { return }
      }
      let client = shimClient(id)
      let attachment: ShimAttachment
      do {
        attachment = try await BlockingPool.shared.run {
          // A detach hangs up without a half-close first: the shim leaves stdin open then
          // (dockerd too); the end of the client's stdin is a half-close, below.
          try client.attach(
            stdin: options.stdin, stdout: options.stdout, stderr: options.stderr, keepStdinOnHangUp: options.stdin)
        }
      } catch {
        // Start waits for this attacher only until it has connected or failed.
        if awaitedByStart { attacherSettled(id) }
        throw error
      }
      PhaseTrace.mark("d: attach connected to the shim")
      if awaitedByStart { attacherSettled(id) }
      let tty = attachment.terminal
      let detach = try DetachKeys(options.detachKeys)
      // On a detach the client leaves; the container goes on (its stdin is not closed).
      let input: Task<Void, Never>? =
        options.stdin
        ? Task { _ = await StdinForwarding.forward(stream, to: attachment, detach: detach, what: "attach \(id)") }
        : nil
      defer {
        input?.cancel()
        attachment.shutdown()
      }
      let output = StreamPump { try attachment.read() }
      defer { output.cancel() }
      while let chunk = try await output.next() {
        let s: StdStream = chunk.stream == .stderr ? .stderr : .stdout
        try await stream.writeOutput(chunk.bytes, stream: s, tty: tty)
      }
      PhaseTrace.mark("d: attach output ended")
    }
  }

  public func resizeContainer(id ref: String, height: Int, width: Int) async throws {
    try await mapErrors {
      let record = try record(ref)
      guard record.state.isRunning else {
        throw DaemonError.conflict("cannot resize container: container \(record.id) is not running")
      }
      let client = shimClient(record.id)
      try await BlockingPool.shared.run {
        try client.resize(rows: UInt16(clamping: height), cols: UInt16(clamping: width))
      }
    }
  }
}
