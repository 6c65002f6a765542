/// A CLI command: its spec and what it does. Returns the exit code.
public struct Command: Sendable {
  public var spec: CommandSpec
  public var run: @Sendable (CommandContext, ParsedFlags) throws -> Int32

  public init(_ spec: CommandSpec, _ run: @escaping @Sendable (CommandContext, ParsedFlags) throws -> Int32) {
    self.spec = spec
    self.run = run
  }

  /// The same command under another path (`container ls` for `ps`).
  public func named(_ path: String) -> Command {
    var copy = self
    copy.spec.path = path
    return copy
  }
}
