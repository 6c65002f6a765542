// A container as the daemon remembers it: <data-root>/containers/<id>/config.v2.json.
import FoundationEssentials

public struct ContainerRecord: Codable, Sendable, Equatable {
  public var id: String
  /// "/name", as Docker stores it.
  public var name: String
  /// RFC 3339 with nanoseconds.
  public var created: String
  /// The image ID ("sha256:…") and the name the user gave.
  public var imageID: String
  public var imageName: String
  /// The image's top snapshot (chain ID), nil for an image without layers.
  public var imageChainID: String?
  /// The request merged with the image config.
  public var settings: ContainerSettings
  public var state = ContainerState()
  public var restartCount = 0
  /// The json-file log ("<dir>/<id>-json.log").
  public var logPath: String = ""

  public init(
    id: String, name: String, created: String, imageID: String, imageName: String, imageChainID: String?,
    settings: ContainerSettings
  ) {
    self.id = id
    self.name = name
    self.created = created
    self.imageID = imageID
    self.imageName = imageName
    self.imageChainID = imageChainID
    self.settings = settings
  }

  /// The name without Docker's leading slash.
  public var shortName: String { name.hasPrefix("/") ? String(name.dropFirst()) : name }
}

public struct ContainerState: Codable, Sendable, Equatable {
  public enum Status: String, Codable, Sendable {
    case created, running, paused, restarting, removing, exited, dead
  }
  public var status: Status = .created
  public var pid: Int32 = 0
  public var exitCode: Int32 = 0
  public var error: String = ""
  public var startedAt: String = "0001-01-01T00:00:00Z"
  public var finishedAt: String = "0001-01-01T00:00:00Z"
  public var oomKilled = false
  /// The pid's start time, to tell a live container from a reused pid after a restart.
  public var pidStartTime: UInt64?
  /// The user asked for the stop (restart policies other than "always" leave it stopped).
  public var stoppedByUser = false
  /// The healthcheck's state while the container has one (State.Health).
  public var health: HealthState?
  public init() {}

  public var isRunning: Bool { status == .running || status == .paused || status == .restarting }
}

/// State.Health: status, failing streak and the last results.
public struct HealthState: Codable, Sendable, Equatable {
  /// "starting", "healthy", "unhealthy".
  public var status = "starting"
  public var failingStreak = 0
  public var log: [HealthResult] = []
  public init() {}
}

public struct HealthResult: Codable, Sendable, Equatable {
  public var start: String
  public var end: String
  public var exitCode: Int
  public var output: String
  public init(start: String, end: String, exitCode: Int, output: String) {
    self.start = start
    self.end = end
    self.exitCode = exitCode
    self.output = output
  }
}
