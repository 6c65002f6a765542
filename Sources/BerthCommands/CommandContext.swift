import EngineClient
import LinuxOS

/// Where a command reads and writes (fds, so tests can capture them).
public struct CommandIO: Sendable {
  public var stdin: Int32
  public var stdout: Int32
  public var stderr: Int32

  public init(stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2) {
    self.stdin = stdin
    self.stdout = stdout
    self.stderr = stderr
  }
}

/// Shared state of one CLI invocation: environment, output, and the (lazily connected) client.
public final class CommandContext {
  public let environment: [String: String]
  public let io: CommandIO
  public var hostFlag: String?
  /// `--context`/`-c`.
  public var contextFlag: String?
  /// `--config`: the config directory.
  public var configFlag: String?
  public var tlsFlags = TLSFlags()
  private var cachedClient: EngineClient?

  public init(environment: [String: String], io: CommandIO = CommandIO()) {
    self.environment = environment
    self.io = io
  }

  /// The client, speaking the newest API version until the daemon says it is too new
  /// (`EngineClient.assumeNewestVersion`).
  public func client() throws -> EngineClient {
    if let cachedClient { return cachedClient }
    let host = try resolveHost()
    let client = EngineClient(host: host)
    client.assumeNewestVersion()
    PhaseTrace.mark("cli: client ready")
    cachedClient = client
    return client
  }

  /// The context this invocation uses, by docker's precedence: `-H` and `DOCKER_HOST` (or
  /// `BERTH_HOST`) mean the default context; else `--context`, `DOCKER_CONTEXT`, the
  /// config's `currentContext`, `default`.
  public func currentContextName() throws -> String {
    if let hostFlag, !hostFlag.isEmpty { return ContextStore.defaultName }
    if !(environment["BERTH_HOST"] ?? "").isEmpty || !(environment["DOCKER_HOST"] ?? "").isEmpty {
      return ContextStore.defaultName
    }
    if let contextFlag, !contextFlag.isEmpty { return contextFlag }
    if let name = environment["DOCKER_CONTEXT"], !name.isEmpty { return name }
    if let name = try loadConfig().currentContext, !name.isEmpty { return name }
    return ContextStore.defaultName
  }

  var contextStore: ContextStore {
    ContextStore(configDirectory: ClientConfig.directory(flag: configFlag, environment: environment))
  }

  /// The daemon's address: `-H`, `BERTH_HOST`/`DOCKER_HOST`, else the current context's endpoint.
  func resolveHost() throws -> EngineHost {
    if let hostFlag, !hostFlag.isEmpty, let contextFlag, !contextFlag.isEmpty {
      throw CommandError.failure("conflicting options: cannot specify both --host and --context")
    }
    let name = try currentContextName()
    guard name != ContextStore.defaultName else {
      return try EngineHost.resolve(flag: hostFlag, tlsFlags: tlsFlags, environment: environment)
    }
    let store = contextStore
    let context = try store.load(name)
    guard !context.host.isEmpty else {
      return try EngineHost.resolve(flag: nil, tlsFlags: tlsFlags, environment: environment)
    }
    return try EngineHost(
      parsing: context.host, tls: store.tlsOptions(context) ?? tlsFlags.options(environment: environment))
  }

  public func out(_ text: String) {
    try? FD.write(io.stdout, text)
  }

  public func outLine(_ text: String) { out(text + "\n") }

  public func err(_ text: String) {
    try? FD.write(io.stderr, text)
  }

  public func errLine(_ text: String) { err(text + "\n") }
}
