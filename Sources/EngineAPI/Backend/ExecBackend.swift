/// The exec area: processes started in running containers.
public protocol ExecBackend: Sendable {
  func createExec(containerID: String, request: ExecCreateRequest) async throws -> IDResponse
  /// `stream` is nil when `options.detach` is true. Otherwise the HTTP layer has hijacked
  /// the connection (output framed unless `options.tty`); return when the process exits.
  func startExec(id: String, options: ExecStartRequest, stream: (any HijackedStream)?) async throws
  func resizeExec(id: String, height: Int, width: Int) async throws
  func inspectExec(id: String) async throws -> ExecInspect
}
