/// `HEALTHCHECK NONE` or `HEALTHCHECK [options] CMD command`.
public enum Healthcheck: Equatable, Sendable {
  /// Disables a check inherited from the base image (config `Test: ["NONE"]`).
  case none
  case check(HealthcheckCommand)

  /// The image config's `Healthcheck.Test`: `["NONE"]`, `["CMD", args…]` or
  /// `["CMD-SHELL", command]`.
  public var test: [String] {
    switch self {
    case .none: return ["NONE"]
    case .check(let c):
      switch c.command {
      case .exec(let args): return ["CMD"] + args
      case .shell(let s): return ["CMD-SHELL", s]
      }
    }
  }
}

/// The CMD form with its options; durations are nanoseconds (as in the image config),
/// nil when the option was not given.
public struct HealthcheckCommand: Equatable, Sendable {
  public var command: CommandForm
  public var interval: Int64?
  public var timeout: Int64?
  public var startPeriod: Int64?
  public var startInterval: Int64?
  public var retries: Int?

  public init(
    command: CommandForm, interval: Int64? = nil, timeout: Int64? = nil, startPeriod: Int64? = nil,
    startInterval: Int64? = nil, retries: Int? = nil
  ) {
    self.command = command
    self.interval = interval
    self.timeout = timeout
    self.startPeriod = startPeriod
    self.startInterval = startInterval
    self.retries = retries
  }
}
