/// `RUN [--mount=…] [--network=…] [--security=…] command`.
public struct RunInstruction: Equatable, Sendable {
  public var command: CommandForm
  /// Heredocs of the shell form, in order (`RUN <<EOF`, `RUN <<A cat > a && <<B cat > b`).
  public var heredocs: [Heredoc]
  /// `--mount` values in order.
  public var mounts: [MountSpec]
  /// `--network`; nil when not given (the build's default).
  public var network: NetworkMode?
  /// `--security`; nil when not given (sandbox).
  public var security: SecurityMode?
  /// `--device` requests (labs syntax), as written.
  public var devices: [String]

  public init(
    command: CommandForm, heredocs: [Heredoc] = [], mounts: [MountSpec] = [], network: NetworkMode? = nil,
    security: SecurityMode? = nil, devices: [String] = []
  ) {
    self.command = command
    self.heredocs = heredocs
    self.mounts = mounts
    self.network = network
    self.security = security
    self.devices = devices
  }
}

/// `RUN --network=`.
public enum NetworkMode: String, Equatable, Sendable {
  case `default`, none, host
}

/// `RUN --security=`.
public enum SecurityMode: String, Equatable, Sendable {
  case sandbox, insecure
}
