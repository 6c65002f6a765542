// Query-parameter options of the routes, decoded by the HTTP layer.

public struct ContainerListOptions: Sendable, Equatable {
  public var all: Bool
  /// Return this many most recently created containers (including stopped ones); nil = no limit.
  public var limit: Int?
  /// Fill `SizeRw` / `SizeRootFs`.
  public var size: Bool
  public var filters: Filters

  public init(all: Bool = false, limit: Int? = nil, size: Bool = false, filters: Filters = Filters()) {
    self.all = all
    self.limit = limit
    self.size = size
    self.filters = filters
  }
}

public struct ContainerStopOptions: Sendable, Equatable {
  /// Seconds to wait before killing; nil = the container's StopTimeout (default 10).
  public var timeout: Int?
  /// Signal to send instead of the container's StopSignal.
  public var signal: String?

  public init(timeout: Int? = nil, signal: String? = nil) {
    self.timeout = timeout
    self.signal = signal
  }
}

public struct ContainerRemoveOptions: Sendable, Equatable {
  public var force: Bool
  /// Remove anonymous volumes too.
  public var removeVolumes: Bool
  /// Remove the link (legacy links); accepted and ignored.
  public var link: Bool

  public init(force: Bool = false, removeVolumes: Bool = false, link: Bool = false) {
    self.force = force
    self.removeVolumes = removeVolumes
    self.link = link
  }
}

public enum WaitCondition: String, Sendable, Equatable, CaseIterable {
  case notRunning = "not-running"
  case nextExit = "next-exit"
  case removed = "removed"
}

/// Completes when a `wait` condition is met. Errors thrown by `result` after the response
/// headers are sent become the `Error.Message` of the JSON body.
public struct ContainerWaitHandle: Sendable {
  public let result: @Sendable () async throws -> ContainerWaitResponse

  public init(result: @escaping @Sendable () async throws -> ContainerWaitResponse) {
    self.result = result
  }
}

public struct ContainerLogsOptions: Sendable, Equatable {
  public var follow: Bool
  public var stdout: Bool
  public var stderr: Bool
  /// Unix seconds (fractional allowed); 0 / nil = from the start.
  public var since: Double?
  public var until: Double?
  /// Prefix each line with an RFC3339Nano timestamp and a space (the backend does it).
  public var timestamps: Bool
  /// Last N lines; nil = all.
  public var tail: Int?
  public var details: Bool

  public init(
    follow: Bool = false, stdout: Bool = false, stderr: Bool = false, since: Double? = nil, until: Double? = nil,
    timestamps: Bool = false, tail: Int? = nil, details: Bool = false
  ) {
    self.follow = follow
    self.stdout = stdout
    self.stderr = stderr
    self.since = since
    self.until = until
    self.timestamps = timestamps
    self.tail = tail
    self.details = details
  }
}

public struct ContainerAttachOptions: Sendable, Equatable {
  public var stream: Bool
  public var stdin: Bool
  public var stdout: Bool
  public var stderr: Bool
  /// Replay the logs first.
  public var logs: Bool
  public var detachKeys: String?
  /// Whether the container has a TTY (the HTTP layer read it from inspect): no TTY = framed output.
  public var tty: Bool

  public init(
    stream: Bool = false, stdin: Bool = false, stdout: Bool = false, stderr: Bool = false, logs: Bool = false,
    detachKeys: String? = nil, tty: Bool = false
  ) {
    self.stream = stream
    self.stdin = stdin
    self.stdout = stdout
    self.stderr = stderr
    self.logs = logs
    self.detachKeys = detachKeys
    self.tty = tty
  }
}

public struct ContainerStatsOptions: Sendable, Equatable {
  public var stream: Bool
  /// With stream=false: don't wait for a second sample (precpu_stats left empty).
  public var oneShot: Bool

  public init(stream: Bool = true, oneShot: Bool = false) {
    self.stream = stream
    self.oneShot = oneShot
  }
}

public struct ImageListOptions: Sendable, Equatable {
  public var all: Bool
  public var digests: Bool
  public var sharedSize: Bool
  public var filters: Filters

  public init(all: Bool = false, digests: Bool = false, sharedSize: Bool = false, filters: Filters = Filters()) {
    self.all = all
    self.digests = digests
    self.sharedSize = sharedSize
    self.filters = filters
  }
}

public struct ImageImportOptions: Sendable, Equatable {
  /// `fromSrc`: "-" = the request body; else a URL (the backend may refuse).
  public var source: String
  public var repo: String?
  public var tag: String?
  public var message: String?
  /// Dockerfile instructions applied to the config (`--change`), e.g. `CMD ["sh"]`.
  public var changes: [String]
  public var platform: String?

  public init(
    source: String = "-", repo: String? = nil, tag: String? = nil, message: String? = nil, changes: [String] = [],
    platform: String? = nil
  ) {
    self.source = source
    self.repo = repo
    self.tag = tag
    self.message = message
    self.changes = changes
    self.platform = platform
  }
}

public struct ImagePullOptions: Sendable, Equatable {
  public var fromImage: String
  public var tag: String?
  public var platform: String?
  /// The raw `X-Registry-Auth` header (base64url JSON), if any.
  public var registryAuth: String?

  public init(fromImage: String, tag: String? = nil, platform: String? = nil, registryAuth: String? = nil) {
    self.fromImage = fromImage
    self.tag = tag
    self.platform = platform
    self.registryAuth = registryAuth
  }
}

public struct EventsOptions: Sendable, Equatable {
  /// Unix seconds.
  public var since: Double?
  public var until: Double?
  public var filters: Filters

  public init(since: Double? = nil, until: Double? = nil, filters: Filters = Filters()) {
    self.since = since
    self.until = until
    self.filters = filters
  }
}
