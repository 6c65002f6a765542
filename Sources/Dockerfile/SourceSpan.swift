/// Where an instruction sits in the Dockerfile and the text it was written as.
public struct SourceSpan: Equatable, Sendable {
  /// 1-based line of the instruction keyword.
  public var startLine: Int
  /// 1-based last line, including continuation lines and heredoc bodies.
  public var endLine: Int
  /// The instruction as BuildKit keeps it: continuation lines joined, comment lines
  /// dropped, surrounding whitespace trimmed, heredoc bodies not included. The builder
  /// puts this in the image history.
  public var original: String
  /// The exact lines from `startLine` to `endLine` (heredoc bodies included), joined by `\n`.
  public var source: String

  public init(startLine: Int, endLine: Int, original: String, source: String) {
    self.startLine = startLine
    self.endLine = endLine
    self.original = original
    self.source = source
  }
}
