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
    let host = try EngineHost.resolve(flag: hostFlag, tlsFlags: tlsFlags, environment: environment)
    let client = EngineClient(host: host)
    client.assumeNewestVersion()
    PhaseTrace.mark("cli: client ready")
    cachedClient = client
    return client
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
