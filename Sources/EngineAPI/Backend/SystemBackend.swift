/// The system area: version, info, disk usage and the event stream.
public protocol SystemBackend: Sendable {
  func version() async throws -> VersionResponse
  func info() async throws -> SystemInfo
  func systemDataUsage() async throws -> SystemDfResponse
  /// Past events (since/until) then, unless `until` is set, live events until the client leaves.
  func events(options: EventsOptions) async throws -> AsyncThrowingStream<EventMessage, any Error>
}
