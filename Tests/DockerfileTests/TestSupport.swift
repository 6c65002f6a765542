import Testing

@testable import Dockerfile

/// Parses or records the error as a test failure.
func parse(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Dockerfile {
  do {
    return try Dockerfile.parse(text)
  } catch {
    Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
    throw error
  }
}

/// The error a text must fail with.
func parseError(_ text: String) -> DockerfileError? {
  do {
    _ = try Dockerfile.parse(text)
    return nil
  } catch {
    return error
  }
}

/// The kinds of the first stage's instructions.
func kinds(_ text: String) throws -> [InstructionKind] {
  try parse("FROM scratch\n" + text).stages[0].instructions.map(\.kind)
}

/// The only instruction after `FROM scratch`.
func only(_ text: String) throws -> InstructionKind {
  let all = try kinds(text)
  try #require(all.count == 1)
  return all[0]
}
