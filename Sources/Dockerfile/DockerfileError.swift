/// A parse error that names the Dockerfile line it comes from, printed like BuildKit's
/// `Dockerfile:7: unknown instruction: RUNN`.
public struct DockerfileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// 1-based first line of the construct at fault (0 when the file has no lines).
  public var line: Int
  /// 1-based last line (same as `line` for a one-line instruction).
  public var endLine: Int
  /// What is wrong, without the location prefix.
  public var message: String
  /// The name printed before the line number.
  public var fileName: String

  public init(line: Int, endLine: Int? = nil, message: String, fileName: String = "Dockerfile") {
    self.line = line
    self.endLine = endLine ?? line
    self.message = message
    self.fileName = fileName
  }

  public var description: String { "\(fileName):\(line): \(message)" }
}

/// Something the parser accepted but BuildKit warns about (deprecated syntax, empty
/// continuation lines).
public struct DockerfileWarning: Equatable, Sendable, CustomStringConvertible {
  public var line: Int
  public var message: String

  public init(line: Int, message: String) {
    self.line = line
    self.message = message
  }

  public var description: String { "line \(line): \(message)" }
}

/// An error from a pure helper (flags, JSON, substitution) before a line is attached.
struct ParseFailure: Error, Equatable {
  var message: String
  init(_ message: String) { self.message = message }
}
